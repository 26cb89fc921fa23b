#!/bin/sh
# make install / uninstall into a DESTDIR, and a program built against the
# installed library with pkg-config, as a user of libbantin would.
. "$(dirname "$0")/lib.sh"
if [ "$BUILD_KIND" = sanitized ]; then
    skip "make install" "installs the plain build only"
    exit 0
fi
build=$(dirname "$BIN")
dest=$TMP/dest
make -s -C "$TOP" BUILD="$build" install PREFIX=/usr/local DESTDIR="$dest" >"$TMP/log" 2>&1
check_eq "make install succeeds" "0" "$?"
for f in bin/news2xml share/man/man1/news2xml.1 include/bantin.h lib/libbantin.a \
         lib/libbantin.so lib/pkgconfig/bantin.pc share/bantin/bantin.rng; do
    [ -e "$dest/usr/local/$f" ] && ok "installed $f" || fail "installed $f"
done
for t in "$TOP"/cmd/*.c; do
    name=$(basename "$t" .c)
    [ -x "$dest/usr/local/bin/$name" ] && ok "installed tool $name" || fail "installed tool $name"
done
cat >"$TMP/use.c" <<'C'
#include <bantin.h>
#include <string.h>
int main(void)
{
    const char *xml = "<article><title>Xin chào</title><body><p>Một</p></body></article>";
    bt_error err;
    bt_article a;
    bt_reader *r = bt_reader_open_memory(xml, strlen(xml), "m", &err);
    bt_article_init(&a);
    if (!r || bt_reader_next(r, &a, &err) != 1)
        return 1;
    char *t = bt_article_title_plain(&a);
    int ok = !strcmp(t, "Xin chào");
    free(t);
    bt_article_free(&a);
    bt_reader_close(r);
    return ok ? 0 : 1;
}
C
sed -i '1i #include <stdlib.h>' "$TMP/use.c"
pc=$dest/usr/local/lib/pkgconfig
cflags=$(PKG_CONFIG_PATH=$pc pkg-config --define-prefix --cflags bantin 2>/dev/null ||
         PKG_CONFIG_PATH=$pc pkg-config --cflags bantin)
libs=$(PKG_CONFIG_PATH=$pc pkg-config --define-prefix --static --libs bantin 2>/dev/null)
check "a program builds against the installed library (pkg-config)" \
    cc -o "$TMP/use" "$TMP/use.c" -I"$dest/usr/local/include" $cflags \
    "$dest/usr/local/lib/libbantin.a" $libs
check "and runs" "$TMP/use"
make -s -C "$TOP" BUILD="$build" uninstall PREFIX=/usr/local DESTDIR="$dest" >"$TMP/log" 2>&1
check_eq "make uninstall removes every file" "" "$(find "$dest" -type f -o -type l)"
