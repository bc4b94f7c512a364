void toy_hello(void);
