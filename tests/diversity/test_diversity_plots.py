"""What the diversity pictures module costs to import."""
from __future__ import annotations


def test_the_diversity_command_modules_import_no_torchvision_until_a_grid_is_drawn():
    """torchvision costs 2-6 s to import; a checkpoint refused in one line should not wait for it."""
    import subprocess
    import sys

    code = "import sys, ganalyze.diversity.output, ganalyze.diversity.run; print('torchvision' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
