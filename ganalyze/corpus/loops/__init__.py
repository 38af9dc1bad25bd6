"""The corpus training loops, written independently of each other (own models, losses, update
order and logging conventions), each ``run(spec, data, rec) -> meta``:

``trainer``  ganalyze's own trainer (:func:`ganalyze.train.train`), ring8 and MNIST
``dcgan``    a plain loop written like the PyTorch DCGAN tutorial: D ends in Sigmoid, ``nn.BCELoss``,
             D loss = errD_real + errD_fake (summed), D(x), D(G(z)) before / after the D step
``pacgan``   PacGAN-style packing / spectral norm / dropout / minibatch-stddev discriminators,
             D loss = the *mean* of its real and fake parts, D(G(z)) logged after the D step only
``critic``   WGAN-GP (n_critic, lambda 10) and hinge critics, Adam or RMSprop, critic scores
``keras``    written like the Keras GAN examples: D updated twice per iteration (a real-batch step,
             then a fake-batch step), logits, D loss = the *mean* of its parts, LSGAN as plain MSE
``r1``       StyleGAN2-ADA's conventions: G updated before D, softplus or hinge losses, lazy R1,
             the ground truth measured on the moving average of G
``tfsim``    the TensorFlow 2 DCGAN tutorial's simultaneous updates (both players' gradients from
             one forward pass), dropout in D, LSGAN on D's raw output
``sngan``    SNGAN's conventions: conv nets (also on MNIST), spectral norm on every D layer, hinge
             or BCE, n_critic, linear learning-rate decay in half the runs
``pytorchgan`` the "PyTorch-GAN" single-file scripts: G updated first on the batch D then sees, D loss
             the mean of its parts, BatchNorm eps 0.8, WGAN-GP with G every n_critic-th batch and the
             penalty inside the logged D loss
``goodfellow`` the original GAN paper's procedure: SGD with a momentum ramp 0.5 -> 0.7, a maxout D with
             dropout, k D steps per G step, minimax or the non-saturating G loss
``wganclip`` the original WGAN's procedure: weight clipping (0.01), RMSprop, 100 critic steps per G step
             for the first 25 G steps and every 500th, MLPs without a tanh at G's output
``dcgantf``  carpedm20's DCGAN-tensorflow: G updated twice per iteration, the printed losses evaluated
             after the updates, batch norm in D too, LSGAN halved as the TensorFlow forks write it
``ganhacks`` the ganhacks tips: soft targets U(0.7, 1.2) / U(0, 0.3) with 5 % flipped, decaying instance
             noise, SGD for D and Adam for G
``dragan``   DRAGAN as the PyTorch collections write it: a gradient penalty near the real data on a BCE or
             LSGAN D, the logged D loss including the penalty
"""
from ganalyze.corpus.loops import (
    critic,
    dcgan,
    dcgantf,
    dragan,
    ganhacks,
    goodfellow,
    keras,
    pacgan,
    pytorchgan,
    r1,
    sngan,
    tfsim,
    trainer,
    wganclip,
)

LOOPS = {
    "trainer": trainer.run,
    "dcgan": dcgan.run,
    "pacgan": pacgan.run,
    "critic": critic.run,
    "keras": keras.run,
    "r1": r1.run,
    "tfsim": tfsim.run,
    "sngan": sngan.run,
    "pytorchgan": pytorchgan.run,
    "goodfellow": goodfellow.run,
    "wganclip": wganclip.run,
    "dcgantf": dcgantf.run,
    "ganhacks": ganhacks.run,
    "dragan": dragan.run,
}
