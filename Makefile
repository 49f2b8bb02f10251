# etl: plain GNU Makefile.  `make`, `make check`, `make check SANITIZE=1`,
# `make demo`, `make fuzz`, `make install PREFIX=...`.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
PKGS       := jansson sqlite3 libcurl libxml-2.0 libpq

# B is the build folder; give B=build/mine to build beside another build.
ifeq ($(SANITIZE),1)
B          ?= build/san
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
else
B          ?= build
SANFLAGS   :=
endif

WARN       := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
              -Wshadow -Wvla -Wwrite-strings -Wformat=2 -fno-common
CFLAGS     ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
              -DETL_VERSION='"$(VERSION)"' -Ilib -include lib/banned.h \
              $(shell pkg-config --cflags $(PKGS)) -MMD -MP
LDLIBS     := $(shell pkg-config --libs $(PKGS)) -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC    := $(sort $(wildcard lib/*.c))
LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o)
LIBETL     := $(B)/libetl.a
# A tool is cmd/etl-x.c, or a folder cmd/etl-x/ holding several .c files.
TOOL_FILES := $(sort $(wildcard cmd/etl-*.c))
TOOL_DIRS  := $(sort $(patsubst %/,%,$(wildcard cmd/etl-*/)))
TOOLS      := $(notdir $(TOOL_FILES:.c=) $(TOOL_DIRS))
BINS       := $(TOOLS:%=$(B)/bin/%)
UNIT_SRC   := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
MAN_PAGES  := $(sort $(wildcard man/*.1 man/*.7))

.PHONY: all check unit cli demo fuzz bench install clean deps lint-man
all: $(BINS)

deps:
	@scripts/install-deps

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBETL): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Single-file tools.
$(B)/bin/%: $(B)/cmd/%.o $(LIBETL)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LDLIBS)

# Folder tools: every .c below cmd/etl-x/.
define folder_tool
$(B)/bin/$(notdir $(1)): $(patsubst %.c,$(B)/%.o,$(wildcard $(1)/*.c)) $(LIBETL)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(SANFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach d,$(TOOL_DIRS),$(eval $(call folder_tool,$(d))))

$(B)/tests/%: $(B)/tests/unit/%.o $(LIBETL)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
		CK_VERBOSITY=minimal CK_DEFAULT_TIMEOUT=600 $$t || fail=1; \
	done; exit $$fail

cli: $(BINS)
	@ETL_BIN="$(CURDIR)/$(B)/bin" ETL_SANITIZE="$(SANITIZE)" \
		tests/cli/run.sh

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory cli

lint-man:
	@for m in $(MAN_PAGES); do mandoc -Tlint -W warning $$m || exit 1; done

demo: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(B)/bin:$$PATH" examples/demo.sh

# `make fuzz` builds every tests/fuzz/fuzz_NAME.c with libFuzzer and runs
# it for FUZZ_TIME seconds on tests/fuzz/corpus/NAME (seeds from fixtures).
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME ?= 10
fuzz: deps
	@mkdir -p build/fuzz
	@for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); c=tests/fuzz/corpus/$${n#fuzz_}; \
		echo "fuzz: $$n"; \
		clang -std=c11 -D_GNU_SOURCE -g -O1 -Ilib -include lib/banned.h \
			-DETL_VERSION='"$(VERSION)"' $$(pkg-config --cflags $(PKGS)) \
			-fsanitize=fuzzer,address,undefined \
			-o build/fuzz/$$n $$f $(LIB_SRC) $(LDLIBS) || exit 1; \
		mkdir -p build/fuzz/$$n.corpus; \
		build/fuzz/$$n -max_total_time=$(FUZZ_TIME) -max_len=65536 \
			build/fuzz/$$n.corpus $$c >build/fuzz/$$n.log 2>&1 || \
			{ tail -n 30 build/fuzz/$$n.log; exit 1; }; \
		tail -n 1 build/fuzz/$$n.log; \
	done

bench: deps all
	@scripts/bench/run $(if $(QUICK),--quick)

.PHONY: $(B)/etl.pc
$(B)/etl.pc:
	@mkdir -p $(@D)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
		'includedir=$${prefix}/include' '' 'Name: etl' \
		'Description: libetl, the etl toolkit library' \
		'Version: $(VERSION)' 'Requires: $(PKGS)' \
		'Libs: -L$${libdir} -letl -lm' 'Cflags: -I$${includedir}/etl' > $@

PUBLIC_H := $(filter-out lib/banned.h lib/%_impl.h,$(wildcard lib/*.h))
install: all $(B)/etl.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/include/etl \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIBETL) $(DESTDIR)$(PREFIX)/lib
	install -m 644 $(PUBLIC_H) $(DESTDIR)$(PREFIX)/include/etl
	install -m 644 $(B)/etl.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7

clean:
	rm -rf build

TOOL_OBJ   := $(patsubst %.c,$(B)/%.o,$(TOOL_FILES) $(wildcard $(TOOL_DIRS:%=%/*.c)))
-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(UNIT_SRC:%.c=$(B)/%.d)
