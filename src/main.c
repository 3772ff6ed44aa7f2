/* ayuda: command-line entry point (stub). */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("ayuda");
	return 0;
}
