import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_platform_folder_is_a_package_root_not_a_package():
    assert not (REPO_ROOT / "platform" / "__init__.py").exists()
    assert (REPO_ROOT / "platform" / "iok" / "__init__.py").exists()


def test_standard_library_platform_still_works_from_the_repository_root():
    # The repository root and platform/ both on the path, as manage.py, pytest and Celery have them.
    code = "import platform, iok, cooperatives; print(platform.__file__.endswith('platform.py'), platform.system())"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                            env={"PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'platform'}", "PATH": "/usr/bin:/bin"},
                            check=True)
    assert result.stdout.strip() == "True Linux"
