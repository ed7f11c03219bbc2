#!/bin/bash
# Start-up and concurrency: whole-process time of `-l` on a small image
# (sandboxed and --no-sandbox) and of 1, 16 and 64 extractions at once
# against as many `cat` pairs of the same two files, medians in one run,
# with peak RSS.  Ratios are what to read on a loaded host.
#   bench/startup.sh [ROUNDS]        DL=path/to/domuloader
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-21}
dl=${DL:-$top/build/domuloader}
w=$(mktemp -d /tmp/dl-startup.XXXXXX); trap 'rm -rf "$w"' EXIT
bash "$top/images/ext4-inroot.sh" "$w/small.img" >/dev/null
bash "$top/images/kernel-only.sh" "$w/disk.img" bench >/dev/null
mkdir -p "$w/out" "$w/cat"
# A small timer: spawns WIDTH copies of each command at once per round.
cat > "$w/timer.c" <<'C'
/* timer ROUNDS WIDTH CMD1 [ARGS] [:: CMD2 [ARGS]]...: each round runs every
 * command WIDTH at once (alternating order), prints per command the median
 * batch wall time in ms and the max peak RSS in KiB. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
extern char **environ;
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
	int rounds=atoi(argv[1]),width=atoi(argv[2]);
	char **cmds[16];int nc=0;cmds[nc++]=argv+3;
	for(int i=3;i<argc;i++) if(!strcmp(argv[i],"::")){argv[i]=NULL;cmds[nc++]=argv+i+1;}
	double *t=calloc((size_t)nc*rounds,sizeof(double));long rss[16]={0};int bad=0;
	posix_spawn_file_actions_t fa;posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa,1,"/dev/null",O_WRONLY,0);
	if(!getenv("SHOWERR"))posix_spawn_file_actions_addopen(&fa,2,"/dev/null",O_WRONLY,0);
	for(int r=0;r<rounds;r++) for(int k=0;k<nc;k++){
		int c=(r%2)?nc-1-k:k;pid_t p[1024];double t0=now();
		for(int w=0;w<width;w++) if(posix_spawn(&p[w],cmds[c][0],&fa,NULL,cmds[c],environ)){perror("spawn");return 1;}
		for(int w=0;w<width;w++){int st;struct rusage ru;wait4(p[w],&st,0,&ru);if(ru.ru_maxrss>rss[c])rss[c]=ru.ru_maxrss;if(!WIFEXITED(st)||WEXITSTATUS(st))bad++;}
		t[c*rounds+r]=now()-t0;}
	for(int c=0;c<nc;c++){qsort(t+c*rounds,rounds,sizeof(double),cmp);
		printf("%-8.3f ms  maxrss %6ld KiB  %s %s\n",t[c*rounds+rounds/2],rss[c],cmds[c][0],cmds[c][1]?cmds[c][1]:"");}
	if(bad)printf("%d failed runs\n",bad);
	return bad!=0;}
C
cc -O2 -o "$w/timer" "$w/timer.c"
k=$w/disk.img.files/vmlinuz-bench r=$w/disk.img.files/initrd.img-bench
printf '#!/bin/sh\ncat %s > %s/cat/k.$$; cat %s > %s/cat/r.$$; rm -f %s/cat/?.$$\n' \
	"$k" "$w" "$r" "$w" "$w" > "$w/catpair"
chmod +x "$w/catpair"
args=(-q --output-format=simple --output-directory="$w/out" --kernel=/boot/vmlinuz-bench
	--ramdisk=/boot/initrd.img-bench --args=ro "$w/disk.img")
"$dl" "${args[@]}" > "$w/res"     # correctness first
cmp "$(sed -n 's/^kernel //p' "$w/res")" "$k"
cmp "$(sed -n 's/^ramdisk //p' "$w/res")" "$r"
rm -f "$w"/out/*
run=()
[ "$(id -u)" = 0 ] && chrt -f 10 true 2>/dev/null && run=(chrt -f 10)
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== -l, whole process"
"${run[@]}" "$w/timer" "$rounds" 1 "$dl" -l "$w/small.img" :: "$dl" --no-sandbox -l "$w/small.img"
for width in 1 16 64; do
	echo "== $width extractions at once vs $width sh+cat+cat+rm"
	"${run[@]}" "$w/timer" "$(( rounds / 2 + 1 ))" "$width" "$dl" "${args[@]}" :: "$w/catpair"
	rm -f "$w"/out/*
done
