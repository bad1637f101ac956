# The two commands a newcomer needs: `make run` and `make test` (see README.md).
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test install install-dev demo lint check clean

run: install demo  ## install, migrate, load demo content and accounts, serve on 127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

test: install-dev  ## install test tools and run the whole suite (fails if no test is collected)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=coursesite.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=coursesite.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) load_content
	$(MANAGE) seed_demo

$(VENV)/.created:
	@PY=$$(PYTHON="$(PYTHON)" scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
