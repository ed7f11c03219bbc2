# Truncated images: a GPT disk cut inside its first partition, and a
# whole-disk ext2 cut to a quarter of its size.
. "$DL_TOP/tests/lib/functions.sh"
cp "$(mkimg gpt-sepboot)" "$T/cut.img"
truncate -s 12M "$T/cut.img"
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$T/cut.img"
expect_clean_failure "$T/o"
expect_err_grep "cut.img"

cp "$(mkimg whole-ext2)" "$T/cut2.img"
truncate -s 4M "$T/cut2.img"
dl_run -q --output-directory="$T/o" "$T/cut2.img"
expect_clean_failure "$T/o"
expect_err_grep "cut2.img"
exit 0
