"""``python -m ganalyze.train RUN_DIR [options]``: the ``ganalyze train`` command, so that
``torchrun --nproc-per-node N -m ganalyze.train RUN_DIR ...`` trains with DDP (see
``ganalyze.train.ddp``): rank 0 writes the run; the options are those of ``ganalyze train``."""
import sys

from ganalyze.cli import main

if __name__ == "__main__":
    main(args=["train", *sys.argv[1:]], prog_name="python -m ganalyze.train")
