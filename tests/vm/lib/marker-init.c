/* The /init of the test guests: prints a marker and the kernel command line
 * on the console, then powers the machine off.  Built static at test time;
 * needs no device nodes in the initramfs (it mounts devtmpfs itself).  The
 * same binary serves plain QEMU (console ttyS0) and Xen PV/PVH guests (hvc0). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER "domuloader-test-guest: init running"

int main(void)
{
	char cmdline[4096];
	ssize_t n = 0;
	int fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, cmdline, sizeof(cmdline) - 1);
		close(fd);
	}
	if (n < 0)
		n = 0;
	cmdline[n] = '\0';
	if (n > 0 && cmdline[n - 1] == '\n')
		cmdline[n - 1] = '\0';
	printf("\n%s\nguest-cmdline: %s\nguest-end\n", MARKER, cmdline);
	fflush(stdout);
	sync();
	sleep(1); /* let the console drain (Xen's console ring, the UART) */
	reboot(RB_POWER_OFF);
	return 0;
}
