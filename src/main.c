#include <stdio.h>
int main(void) { fputs("domuloader: not yet\n", stderr); return 1; }
