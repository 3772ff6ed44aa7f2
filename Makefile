# Thin wrapper over CMake. See README.md.
BUILD   ?= build
ASAN    ?= build-asan
FUZZ    ?= build-fuzz
RELEASE ?= build-release
JOBS    ?= $(shell nproc)
DATA    ?= data
LISTEN  ?= 127.0.0.1:8080
CMAKE_FLAGS ?=

.PHONY: all deps build release run check check-asan check-fuzz check-fmt bench bench-large fmt clean install e2e-deps

all: build

deps:
	@./scripts/deps.sh

# The build that `run` and `check` use honours the test suites' hooks
# (AYUDA_FAKE_NOW, AYUDA_PWHASH_FAST); the one `install` copies does not.
build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DAY_TEST_HOOKS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

release: deps
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DAY_TEST_HOOKS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(RELEASE) -j $(JOBS) --target ayuda ayuda-mail-in

run: build
	@if [ -e $(DATA)/ayuda.db ]; then \
		echo "Datos en $(DATA) (demo: contraseña demo1234; un token: $(BUILD)/ayuda token create --user agente@ayuda.localhost --data $(DATA))"; \
	else \
		$(BUILD)/ayuda init --demo --data $(DATA); \
	fi
	$(BUILD)/ayuda serve --data $(DATA) --listen $(LISTEN)

check: build check-fmt e2e-deps
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-fuzz

check-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
		-DAY_SANITIZE=address,undefined -DAY_TEST_HOOKS=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -L "^(unit|api)$$"

check-fuzz: deps
	@./scripts/fuzz.sh $(FUZZ) $${AY_FUZZ_SECONDS:-90}

# The browser tests' packages, exactly as package-lock.json pins them
# (Playwright drives Debian's chromium: no browser download).
e2e-deps:
	@cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

# Fails on a file clang-format would change or a catalog msgfmt rejects.
check-fmt:
	@./scripts/fmt.sh --check

bench: build e2e-deps
	@./scripts/deps.sh --bench
	@./bench/run.sh $(BUILD)

# A million tickets, generated once and cached under $(BUILD)/bench-large;
# niced, as the machine is shared (bench/README.md).
bench-large: build
	@./scripts/deps.sh --bench
	@nice -n 10 ./bench/large.sh $(BUILD)

fmt:
	@./scripts/fmt.sh

PREFIX ?= /usr/local
install: release
	install -D -m 0755 $(RELEASE)/ayuda $(DESTDIR)$(PREFIX)/bin/ayuda
	install -D -m 0755 $(RELEASE)/ayuda-mail-in $(DESTDIR)$(PREFIX)/bin/ayuda-mail-in

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(RELEASE)
