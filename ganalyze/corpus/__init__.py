"""The labelled corpus: GAN runs from several independently written training loops, every step
labelled from what the networks did (``/work/shared/LABELS.md``, implemented in
:mod:`ganalyze.diagnose.truth`), never from the logged losses.

Modules, one capability each:

``datasets``    the four corpus datasets (ring8, grid25, MNIST, scikit-learn's 8x8 digits) and
                their reference statistics (real features, spreads, mode centres)
``classifiers`` the image classifiers the ground truth uses (the shipped MNIST CNN; an 8x8-digits
                MLP shipped beside this file)
``measure``     ``GroundTruthProbe``: the LABELS.md signals of a generator/discriminator pair,
                measured with fixed noise and a separate random generator
``schedule``    regime changes during a run (learning-rate switches, frozen players, NaN injection)
``spec``        ``RunSpec`` and the random search over configurations
``loops``       the training loops (ganalyze's trainer, a DCGAN-tutorial loop, a PacGAN/spectral-norm
                loop with a mean-reduced D loss, a WGAN-GP/hinge critic loop)
``store``       the on-disk corpus (one zstd Parquet dataset + manifest) and reading it back
``variants``    log variants derived on the fly (every k steps, pre-averaged, column subsets)

Nothing here is imported by the analysis commands; ``scripts/make_corpus.py`` drives it.
"""
