/* load_weights: reads a network from disk */
int load_weights(void) { return 0; }
