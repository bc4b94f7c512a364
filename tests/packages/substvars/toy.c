#include <stdio.h>
#include "toy.h"

/* Uses the C library, so that dh_shlibdeps fills in ${shlibs:Depends}. */
void toy_hello(void)
{
	puts("hello");
}
