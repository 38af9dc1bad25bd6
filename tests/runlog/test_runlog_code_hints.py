"""A notebook's code as a source of its loss family, D's sum or mean and a composite G loss
(ganalyze.runlog.formats.code_hints), and how the diagnosis weighs it against the numbers."""
import json

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.metadata import infer_metadata
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.runlog.formats.code_hints import (
    _print_fields,
    bare_print_columns,
    code_hints,
    code_lines,
    labelled_print_columns,
    run_code,
)
from ganalyze.runlog.readers import read_runs

DCGAN_CODE = """criterion = nn.BCELoss()
for epoch in range(5):
    for i, data in enumerate(loader):
        errD_real = criterion(netD(real), label)   # a comment naming nn.MSELoss() is no code
        errD_fake = criterion(netD(fake.detach()), label)
        errD = errD_real + errD_fake
        errG = criterion(netD(fake), label)
        print('[%d/%d] Loss_D: %.4f Loss_G: %.4f' % (epoch, i, errD.item(), errG.item()))
"""
KERAS_CODE = """discriminator.compile(loss='binary_crossentropy', optimizer=Adam(0.0002, 0.5), metrics=['accuracy'])
d_loss_real = discriminator.train_on_batch(imgs, valid)
d_loss_fake = discriminator.train_on_batch(gen_imgs, fake)
d_loss = 0.5 * np.add(d_loss_real, d_loss_fake)
print ("%d [D loss: %f] [G loss: %f]" % (epoch, d_loss[0], g_loss))
"""
WGAN_GP_CODE = """gradient_penalty = compute_gradient_penalty(D, real_imgs.data, fake_imgs.data)
d_loss = -torch.mean(real_validity) + torch.mean(fake_validity) + lambda_gp * gradient_penalty
"""
LSGAN_CODE = "adversarial_loss = torch.nn.MSELoss()\n"
SRGAN_CODE = """class GeneratorLoss(nn.Module):
    def forward(self, out_labels, out_images, target_images):
        adversarial_loss = torch.mean(1 - out_labels)
        perception_loss = self.mse_loss(self.loss_network(out_images), self.loss_network(target_images))
        image_loss = self.mse_loss(out_images, target_images)
        return image_loss + 0.001 * adversarial_loss + 0.006 * perception_loss
self.mse_loss = nn.MSELoss()
d_loss = 1 - real_out + fake_out
"""
EBGAN_CODE = """D_real_loss = energy(X)
D_fake_loss = energy(G(z))
D_loss = D_real_loss + F.relu(m - D_fake_loss)
"""


def _hints(*sources):
    return code_hints(list(enumerate(sources, start=1)))


def test_the_family_sum_or_mean_and_a_composite_g_loss_are_read_from_the_code():
    h = _hints(DCGAN_CODE)
    assert h["code_loss"][0] == "nsgan" and "nn.BCELoss()" in h["code_loss"][1] and "(cell 1)" in h["code_loss"][1]
    assert h["code_d_loss_reduction"][0] == "sum" and "errD = errD_real + errD_fake" in h["code_d_loss_reduction"][1]
    assert _hints(KERAS_CODE)["code_d_loss_reduction"][0] == "mean"
    assert _hints(WGAN_GP_CODE)["code_loss"][0] == "wgan-gp"
    lsgan = _hints(LSGAN_CODE)
    assert lsgan["code_loss"][0] == "lsgan" and lsgan["code_lsgan_terms"][0] == "plain"
    # held-out batch 416 (Coursera's CycleGAN): a unit test's BCE fixture beside the training's own MSE criterion
    coursera = _hints("adv_criterion = nn.MSELoss()\nrecon_criterion = nn.L1Loss()\n",
                      "test_adv_criterion = torch.nn.BCEWithLogitsLoss()\n"
                      "get_disc_loss(test_input, test_input, test_disc_X, test_adv_criterion)\n")
    assert coursera["code_loss"][0] == "lsgan" and "adv_criterion = nn.MSELoss()" in coursera["code_loss"][1]
    assert _hints("p.data.clamp_(-0.01, 0.01)\n")["code_loss"][0] == "wgan-gp"       # weight clipping: a critic too
    # ... by a named bound (held-out batch 527/05: read as minimax from its negative G loss); an image's clamp is none
    assert _hints("clip_value = 0.01\nfor p in critic.parameters():\n    p.data.clamp_(-clip_value, clip_value)\n"
                  )["code_loss"][0] == "wgan-gp"
    assert "code_loss" not in _hints("x = x.clamp_(-limit, limit)\n")
    assert _hints("d_loss = torch.mean(F.relu(1.0 - real)) + torch.mean(F.relu(1.0 + fake))\n")["code_loss"][0] == "hinge"
    for hinge in ("d_loss_real = torch.nn.ReLU()(1.0 - d_out_real).mean()\n",      # held-out batch 90
                  "d_loss = tf.reduce_mean(tf.maximum(0., 1. - real)) + tf.reduce_mean(tf.maximum(0., 1. + fake))\n",
                  "d_loss = torch.clamp(1 - real, min=0).mean()\n"):
        assert _hints(hinge)["code_loss"][0] == "hinge", hinge
    assert _hints(EBGAN_CODE)["code_loss"][0] == "other"
    # held-out batch 593/02: TensorFlow's hinge on the margin, read as nsgan ("non-negative losses and no other hint")
    tf_ebgan = "D_loss = MSE_loss(recon_real, imgs) + tf.maximum(0, margin - MSE_loss(recon_fake, fake_images))\n"
    assert _hints(tf_ebgan)["code_loss"][0] == "other"
    srgan = _hints(SRGAN_CODE)      # MSE is the content loss here, not LSGAN; G's loss is composite
    assert "code_loss" not in srgan and "0.001 * adversarial_loss" in srgan["g_loss_composite"]


def test_code_that_disagrees_with_itself_gives_no_hint():
    """A BCE GAN and a WGAN-GP in one notebook, or D's terms summed in one cell and averaged in another: no hint.
    BCE beside MSE is a content loss (SRGAN), so the family is BCE."""
    assert "code_loss" not in _hints(DCGAN_CODE, WGAN_GP_CODE)
    assert "code_d_loss_reduction" not in _hints(DCGAN_CODE, KERAS_CODE.replace("d_loss", "errD"))
    assert _hints(DCGAN_CODE, LSGAN_CODE)["code_loss"][0] == "nsgan"
    # a D loss that is never printed says nothing of the printed one
    assert "code_d_loss_reduction" not in _hints(DCGAN_CODE.replace("errD.item()", "0.0"))
    assert _hints("# criterion = nn.BCELoss()\n") == {}


def _notebook(tmp_path, code, log, name="train.ipynb"):
    nb = {"cells": [{"cell_type": "code", "source": code.splitlines(keepends=True), "metadata": {}, "execution_count": 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": log}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / name
    p.write_text(json.dumps(nb))
    return p


def _log(d, g):
    return "".join(f"[{k // 50}/5][{k % 50}/50] Loss_D: {d[k]:.4f} Loss_G: {g[k]:.4f}\n" for k in range(len(d)))


def test_the_diagnosis_takes_the_code_where_the_numbers_show_nothing(tmp_path):
    """A summed BCE D loss that never holds above 1.11 and is logged from step 200 on: the numbers' default is a
    mean (right on 22 of 34 such public logs); the notebook's code says sum. An EBGAN's energies read as BCE
    levels said 'D saturated'; its code names a family ganalyze does not model."""
    rng = np.random.default_rng(5)
    d, g = 0.6 + 0.3 * rng.random(250), 1.5 + rng.random(250)
    log = "".join(f"[{4 + k // 50}/9][{k % 50}/50] Loss_D: {d[k]:.4f} Loss_G: {g[k]:.4f}\n" for k in range(250))
    plain = read_run(_notebook(tmp_path, "print('no code of interest')\n", log, "plain.ipynb"))
    coded = read_run(_notebook(tmp_path, DCGAN_CODE, log))
    assert infer_metadata(plain).d_loss_reduction == "mean"
    meta = infer_metadata(coded)
    assert meta.d_loss_reduction == "sum" and meta.loss == "nsgan"
    red = next(a for a in meta.assumptions if a.name == "d_loss_reduction")
    assert "notebook's code" in red.reason and "errD = errD_real + errD_fake" in red.reason
    ebgan = read_run(_notebook(tmp_path, EBGAN_CODE, _log(7 + rng.random(100), 5 + rng.random(100)), "ebgan.ipynb"))
    assert infer_metadata(ebgan).loss == "other"


def test_numbers_that_show_a_family_win_over_the_code(tmp_path):
    """A negative D loss is no BCE, whatever loss the notebook also builds: the numbers win and the reason says
    the code suggested otherwise."""
    rng = np.random.default_rng(6)
    p = _notebook(tmp_path, DCGAN_CODE, _log(-2 - rng.random(100), rng.random(100) - 0.5))
    loss = next(a for a in infer_metadata(read_run(p)).assumptions if a.name == "loss")
    assert loss.value == "wgan-gp" and "but its numbers show otherwise" in loss.reason


def test_keras_half_loss_weight_on_mse_is_the_papers_half():
    """Held-out batch 123: a Keras CycleGAN compiles D with loss='mse', loss_weights=[0.5]: each printed D term is
    1/2 (D - target)^2, not plain MSE (its levels read twice as far from equilibrium)."""
    h = _hints("model.compile(loss='mse', optimizer=Adam(lr=0.0001, beta_1=0.5), loss_weights=[0.5])\n")
    assert h["code_loss"][0] == "lsgan" and h["code_lsgan_terms"][0] == "half"


def test_a_loss_printed_by_an_f_string_continuation_or_a_keras_metric_counts_as_printed():
    """Held-out batches 127 and 130: 'd_loss = 0.5 * (real_loss + fake_loss)' printed by an f-string on the print's
    next line, and Keras' 'self.d_loss_metric.update_state(d_loss)' (what fit() prints): no hint was taken."""
    torch_code = ("d_loss = 0.5 * (real_loss + fake_loss)\nprint(f\"[Epoch {epoch}/{n}] \"\n"
                  "      f\"[D loss: {d_loss.item():.4f}] [G loss: {g_loss.item():.4f}]\")\n")
    assert _hints(torch_code)["code_d_loss_reduction"][0] == "mean"
    keras_code = "d_loss = (d_real_loss + d_fake_loss) / 2.0\nself.d_loss_metric.update_state(d_loss)\n"
    assert _hints(keras_code)["code_d_loss_reduction"][0] == "mean"


def test_bce_code_with_a_few_negative_d_losses_stays_bce_and_its_reduction_beats_the_levels(tmp_path):
    """Held-out batch 127: BCE against fake targets pushed below 0 by label noise printed one negative D loss in 280
    epochs; the run was read as a critic ('healthy') while D sat saturated at 7.71. Held-out batch 130: a D loss
    averaged in the code held 1.3 while the run diverged, and the levels said sum."""
    d = np.r_[-0.62, np.full(99, 7.71)]
    p = _notebook(tmp_path, "self.loss_fn = losses.BinaryCrossentropy()\n", _log(d, np.full(100, 15.4)))
    meta = infer_metadata(read_run(p))
    loss = next(a for a in meta.assumptions if a.name == "loss")
    assert meta.loss == "nsgan" and "only 1% of rows" in loss.reason, loss.reason
    held = _notebook(tmp_path, "d_loss = 0.5 * (real_loss + fake_loss)\nprint(d_loss.item())\n",
                     _log(np.full(100, 1.3), np.full(100, 1.6)), "held.ipynb")
    assert infer_metadata(read_run(held), loss="nsgan").d_loss_reduction == "mean"


def test_tf_add_of_the_two_terms_is_a_sum():
    """Held-out batch 137: 'd_loss = tf.add(d_loss_real, d_loss_fake)' gave no hint, and the levels guessed a mean."""
    assert _hints("d_loss = tf.add(d_loss_real, d_loss_fake)\nprint('d', d_loss)\n")["code_d_loss_reduction"][0] == "sum"
    assert _hints("d_loss = 0.5 * tf.add(d_loss_real, d_loss_fake)\nprint(d_loss)\n")["code_d_loss_reduction"][0] == "mean"


def test_a_loss_added_into_a_printed_epoch_total_counts_as_printed():
    """Held-out batch 135: 'D_train_loss = D_real_loss + D_fake_loss', then 'epoch_D_loss += D_train_loss.item()' and
    'print("training D Loss:", epoch_D_loss / total_length)': the printed value is that sum's epoch mean."""
    code = ("D_train_loss = D_real_loss + D_fake_loss\nepoch_D_loss += (D_train_loss.item())\n"
            "print('training D Loss:', epoch_D_loss / (total_length))\n")
    assert _hints(code)["code_d_loss_reduction"][0] == "sum"
    assert "code_d_loss_reduction" not in _hints(code.replace("print('training D Loss:', epoch_D_loss", "print(x"))


def test_the_code_says_whether_the_printed_loss_is_one_steps_or_a_mean_over_steps(tmp_path):
    """Held-out batches 115, 125, 136 and 141: epoch means ('D_loss_run/(i+1)', 'sum(disc_loss_list) / len(..)',
    'float(np.mean(epoch_disc_losses))') were read as single steps, and a batch's own value printed every 10 batches
    as a mean (its rows jittered little)."""
    def avg(code):
        return _hints(code).get("code_averaged", (None,))[0]
    assert avg("D_loss = real + fake\nD_loss_run += D_loss.item()\nprint('D_loss:{}'.format(D_loss_run/(i+1)))\n") is True
    assert avg("disc_loss = disc(real, fake)\nd_loss = sum(disc_loss_list) / len(disc_loss_list)\n"
               "print(f'Epoch {epoch+1}, disc loss={d_loss}')\n") is True
    assert avg("avg_disc_loss = float(np.mean(epoch_disc_losses))\nprint(f'D {avg_disc_loss:.4f}')\n") is True
    assert avg("d_loss = (d_real + d_fake) / 2\nprint(f'D_loss: {d_loss.item():.4f}')\n") is False
    assert avg("errD_history = []\nprint(errD_history[-1])\n") is None           # no D loss assigned: no hint
    step = "d_loss = (d_real + d_fake) / 2\nprint(f'D_loss: {d_loss.item():.4f}')\n"
    rng = np.random.default_rng(7)
    d = 0.69 + 0.001 * rng.standard_normal(60)         # rows that barely move: the numbers alone say "averaged"
    log = "".join(f"Epoch [1/1], Batch [{10 * k}/800], D_loss: {d[k]:.4f}, G_loss: 0.7{k % 10}\n" for k in range(60))
    meta = infer_metadata(read_run(_notebook(tmp_path, step, log)))
    averaged = next(a for a in meta.assumptions if a.name == "averaged")
    assert averaged.value is False and "step's own value" in averaged.reason


def test_tf_weight_clipping_a_d_loss_function_and_a_printed_list_mean_are_read():
    """Held-out batches 145-147: TensorFlow's 'p.assign(tf.clip_by_value(p, -0.01, 0.01))' (a clipped critic read as
    BCE), the TF DCGAN tutorial's 'def discriminator_loss(..): .. total_loss = real_loss + fake_loss' (in a
    %%writefile cell too), and 'torch.mean(torch.FloatTensor(D_losses))' printed each epoch."""
    assert _hints("for p in D.variables:\n    p.assign(tf.clip_by_value(p, -0.01, 0.01))\n")["code_loss"][0] == "wgan-gp"
    tutorial = ("%%writefile losses.py\ndef discriminator_loss(real_output, fake_output):\n"
                "    real_loss = cross_entropy(tf.ones_like(real_output), real_output)\n"
                "    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)\n"
                "    total_loss = real_loss + fake_loss\n    return total_loss\n")
    assert _hints(tutorial)["code_d_loss_reduction"][0] == "sum"
    assert "code_d_loss_reduction" not in _hints(tutorial.replace("def discriminator_loss", "def generator_loss"))
    epoch_mean = ("d_loss = real + fake\nD_losses.append(d_loss.item())\nprint('[%d/%d]: loss_d: %.3f' % (e, n, "
                  "torch.mean(torch.FloatTensor(D_losses))))\n")
    assert _hints(epoch_mean)["code_averaged"][0] is True


def test_a_weight_written_as_a_parenthesised_factor_marks_a_composite_g_loss():
    """Held-out batch 149: a Keras pix2pix's train_step 'g_loss = (1 / self.LAMBDA) * self.loss_fn(..) +
    self.recon_loss_fn(..)' returned in fit()'s dict: its G level was judged as a BCE loss (g_dominant)."""
    src = ("g_loss = (1 / self.LAMBDA) * self.loss_fn(real_labels, fake_preds) + self.recon_loss_fn(real_imgs, fake_imgs)\n"
           "return {\"d_loss\": d_loss, \"g_loss\": g_loss}\n")
    assert "self.recon_loss_fn" in _hints(src)["g_loss_composite"]


def test_a_code_line_longer_than_any_loss_code_is_left_out():
    """An embedded data string (a base64 image in a cell) is no loss code, and the patterns need not scan it."""
    blob = "img = '" + "A" * 100_000 + " nn.MSELoss() '\n"
    assert "code_loss" not in _hints(blob) and _hints(blob + DCGAN_CODE)["code_loss"][0] == "nsgan"


def test_a_log_call_in_the_loss_itself_is_no_print():
    """'d_loss = -torch.mean(torch.log(d_real) + torch.log(1 - d_fake))' holds 'log(', which had counted the line
    as one that prints its own loss; a logger's or wandb's call still does."""
    computed = "d_loss = -torch.mean(torch.log(d_real) + torch.log(1 - d_fake))\n"
    assert "code_d_loss_reduction" not in _hints(computed)
    assert _hints(computed + "wandb.log({'d_loss': d_loss})\n")["code_d_loss_reduction"][0] == "sum"
    assert _hints(computed + "self.log('d_loss', d_loss)\n")["code_d_loss_reduction"][0] == "sum"     # Lightning


def test_a_loss_a_tf1_session_returns_into_a_printed_name_counts_as_printed():
    """TensorFlow 1 notebooks print what sess.run returns: '_, D_loss_curr = sess.run([D_solver, D_loss], ..)'
    then 'print(D_loss_curr)' prints D_loss."""
    code = ("D_loss = -tf.reduce_mean(tf.log(D_real) + tf.log(1. - D_fake))\n"
            "_, D_loss_curr = sess.run([D_solver, D_loss], feed_dict={X: X_mb})\nprint('D loss: {:.4}'.format(D_loss_curr))\n")
    assert _hints(code)["code_d_loss_reduction"][0] == "sum"


KERAS3_MLM_CODE = """for i in range(n_epochs):
    for j in range(bat_per_epo):
        d_loss1, _ = d_model.train_on_batch(X_real, y_real)
        d_loss2, _ = d_model.train_on_batch(X_fake, y_fake)
        g_loss = gan_model.train_on_batch(X_gan, y_gan)
        print('>%d , %d, %d' % (i + 1, j + 1, bat_per_epo))
        print(d_loss1, d_loss2, g_loss)
"""


def test_rows_of_bare_numbers_are_named_by_the_print_that_wrote_them(tmp_path):
    """Held-out batch 125: machinelearningmastery's loop under Keras 3 printed 'print(d_loss1, d_loss2, g_loss)'
    as '0.647 0.670 [array(0.670, dtype=float32), array(0.670, ..), array(0.49, ..)]' between '>1 , 1, 390'
    counters: refused (no names; the list was no number). The code names the three values (D's real half, its fake
    half, G's loss, the first of Keras' list), and the reading says so; the same rows without that print stay
    refused, and a text log reads them once named by position."""
    rng = np.random.default_rng(125)
    d1, d2, g = (0.6 + rng.random(40) * 0.1 for _ in range(3))
    log = "".join(f"2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 8ms/step\n>1 , {k + 1}, 390\n{d1[k]:.8f} {d2[k]:.8f} "
                  f"[array({g[k]:.8f}, dtype=float32), array({g[k]:.8f}, dtype=float32), array(0.49, dtype=float32)]\n"
                  for k in range(40))
    df = read_run(_notebook(tmp_path, KERAS3_MLM_CODE, log))
    assert df.d_loss_real.to_numpy() == pytest.approx(d1, abs=1e-8) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-8)
    assert df.d_loss.to_numpy() == pytest.approx(d1 + d2, abs=1e-7)
    assert "print(d_loss1, d_loss2, g_loss)" in df.attrs["guessed"]["columns"]
    with pytest.raises(GanalyzeError, match="bare numbers"):
        read_run(_notebook(tmp_path, KERAS3_MLM_CODE.replace("print(d_loss1, d_loss2, g_loss)", "print(a, b, c)"), log))
    with pytest.raises(GanalyzeError, match="bare numbers"):        # a print of two values names no 3-wide row
        read_run(_notebook(tmp_path, KERAS3_MLM_CODE.replace("d_loss2, g_loss)", "g_loss)"), log))
    p = tmp_path / "log.txt"
    p.write_text(log)
    assert read_run(p, columns="d_loss_real=1,d_loss_fake=2,g_loss=3").g_loss.to_numpy() == pytest.approx(g, abs=1e-8)


def test_which_prints_of_bare_values_name_a_d_and_a_g_loss():
    def named(code):
        return [cols for cols, _, _ in bare_print_columns([(1, code)])]

    assert named("print d_l, g_l") == [{"d_loss": "1", "g_loss": "2"}]               # Python 2
    assert named("print(epoch, errD.item(), float(errG))") == [{"epoch": "1", "d_loss": "2", "g_loss": "3"}]
    assert named("print(i, d_loss, g_loss)") == [{"d_loss": "2", "g_loss": "3"}]       # 'i' names no column: left out
    assert named("print(a, b)") == [] and named("print('D', d_loss, 'G', g_loss)") == []
    assert named("print(d_loss, g_loss)\nprint(d_loss, g_loss)") == [{"d_loss": "1", "g_loss": "2"}]


UDACITY_CODE = """def train(D, G, n_epochs, print_every=50):
    for epoch in range(n_epochs):
        for batch_i, (real_images, _) in enumerate(train_loader):
            d_loss = d_real_loss + d_fake_loss
            if batch_i % print_every == 0:
                print('Epoch [{:5d}/{:5d}] | d_loss: {:6.4f} | g_loss: {:6.4f}'.format(
                        epoch+1, n_epochs, d_loss.item(), g_loss.item()))
"""


def _every(code):
    hint = code_hints([(1, code)]).get("code_print_every")
    return None if hint is None else hint[0]


def test_the_print_interval_is_read_from_the_code():
    """Held-out batches 152-154: Udacity's templates print 'Epoch [ 1/ 30] | d_loss: .. | g_loss: ..' every
    print_every batches (300 for SVHN, 400 for MNIST, a def's default 50 for faces); the rows carry no step and were
    read as 10 iterations each. The interval is the code's, from the call over the def's default; one counted in
    epochs, two intervals that disagree, or a counter of unknown meaning give none."""
    assert _every(UDACITY_CODE) == 50
    assert _every(UDACITY_CODE + "losses = train(D, G, n_epochs=30, print_every=300)\n") == 300
    assert _every("for epoch in range(9):\n    for i, data in enumerate(loader):\n        if (i + 1) % 100 == 0:\n"
                  "            print(f'D {errD.item()} G {errG.item()}')\n") == 100
    assert _every("for it in range(100000):\n    if it % 1000 == 0:\n        print('Iter: {}; D loss: {:.4}'"
                  ".format(it, D_loss_curr))\n") == 1000
    assert _every("for i in range(num_epochs):\n    train()\n    if i % 10 == 0:\n        print(d_loss, g_loss)\n") is None
    assert _every("for epoch in range(50):\n    if epoch % 5 == 0:\n        print(d_loss, g_loss)\n") is None
    assert _every(UDACITY_CODE + "for it in range(9):\n    if it % 7 == 0:\n        print(d_loss)\n") is None
    assert _every("while True:\n    if n % 10 == 0:\n        print(d_loss)\n") is None
    assert _every(UDACITY_CODE.replace("print('Epoch", "save_images(epoch) #")) is None      # no loss printed there
    # held-out batch 191: the call passes a computed interval (one row per epoch): the def's default 50 is not it
    assert _every(UDACITY_CODE + "losses = train(D, G, n_epochs=200, print_every=len(iter(celeba_train_loader)))\n") is None
    assert _every(UDACITY_CODE + "print_every = args.print_every\n") is None
    # held-out batch 410: a tqdm bar over the batches whose description names the epoch is no loop over epochs
    assert _every(UDACITY_CODE.replace("in enumerate(train_loader):", "in tqdm(enumerate(train_loader), desc=f'T{epoch}'):")
                  ) == 50


def test_rows_without_a_step_are_stepped_by_the_code_print_interval(tmp_path):
    """Batch 153's six SVHN runs: read as 10 iterations a row, D below G for the whole run read d_dominant; the
    code prints every 300 batches. The rows are 300 iterations apart now, and the reading says why."""
    rng = np.random.default_rng(153)
    d, g = rng.uniform(0.3, 0.6, 40), rng.uniform(2.5, 4.5, 40)
    log = "".join(f"Epoch [{k // 2 + 1:5d}/   20] | d_loss: {d[k]:6.4f} | g_loss: {g[k]:6.4f}\n" for k in range(40))
    code = UDACITY_CODE + "losses = train(D, G, n_epochs=20, print_every=300)\n"
    df = read_run(_notebook(tmp_path, code, log))
    # two rows an epoch, at batches 0 and 300: an epoch of 301-600 batches, read as 450 (stop 40; row x 300 before)
    assert df.step.tolist() == [450 * (k // 2) + 300 * (k % 2) for k in range(40)]
    assert "every 300 iterations" in df.attrs["guessed"]["step_from"] and "read as 450" in df.attrs["guessed"]["step_from"]
    assert df.attrs["step_from"] == "epoch x 450 + row in the epoch x 300"
    assert read_run(_notebook(tmp_path, code, log), step_from="row").step.tolist() == list(range(40))
    # rows without an epoch are the code's interval apart
    flat = "".join(f"d_loss: {d[k]:6.4f} | g_loss: {g[k]:6.4f}\n" for k in range(40))
    assert read_run(_notebook(tmp_path, code, flat)).step.tolist() == [300 * k for k in range(40)]
    # ... and where the code prints at (i + 1) % N, at batches N - 1, 2N - 1, .. of epochs of 2N to 3N - 1 batches
    one_based = code.replace("if batch_i % print_every == 0:", "if (batch_i + 1) % print_every == 0:")
    assert read_run(_notebook(tmp_path, one_based, log)).step.tolist() == [750 * (k // 2) + 300 * (k % 2) + 299
                                                                           for k in range(40)]


def test_torch_div_by_two_is_a_mean_and_a_windowed_mean_of_the_critic_losses_is_averaged():
    """Held-out batch 151 (the GAN specialization): 'disc_loss = torch.div(torch.add(d_loss_fake, d_loss_real), 2)'
    was read as a sum (torch.add); its WGAN-GP prints 'crit_mean = sum(critic_losses[-display_step:]) /
    display_step', a mean over 500 steps, which no hint named (the number's noise guessed single steps)."""
    mean = code_hints([(1, "disc_loss = torch.div(torch.add(disc_fake_loss, disc_real_loss), 2)\n"
                           "print(f'Step {cur_step}: discriminator loss: {disc_loss.item()}')\n")])
    assert mean["code_d_loss_reduction"][0] == "mean"
    assert code_hints([(1, "disc_loss = torch.add(disc_fake_loss, disc_real_loss)\nprint(disc_loss.item())\n")]
                      )["code_d_loss_reduction"][0] == "sum"
    wgan = code_hints([(2, "crit_loss = get_crit_loss(crit_fake_pred, crit_real_pred, gp, c_lambda)\n"
                           "critic_losses += [mean_iteration_critic_loss]\n"
                           "crit_mean = sum(critic_losses[-display_step:]) / display_step\n"
                           "print(f'Step {cur_step}: Generator loss: {gen_mean}, critic loss: {crit_mean}')\n")])
    assert wgan["code_averaged"][0] is True


def test_the_code_sum_wins_over_a_cyclegan_print_formats_mean(tmp_path):
    """Held-out batch 153: Udacity's CycleGAN prints 'Epoch [ 10/ 4000] | d_X_loss: .. | d_Y_loss: .. |
    g_total_loss: ..'; a D loss per domain implied CycleGAN's halved terms, over the notebook's own
    'd_x_loss = Dx_real_loss + Dx_fake_loss'."""
    rng = np.random.default_rng(153)
    dx, dy, g = rng.uniform(0.3, 0.6, 40), rng.uniform(0.3, 0.6, 40), rng.uniform(3, 5, 40)
    log = "".join(f"Epoch [{10 * (k + 1):5d}/ 4000] | d_X_loss: {dx[k]:6.4f} | d_Y_loss: {dy[k]:6.4f} | "
                  f"g_total_loss: {g[k]:6.4f}\n" for k in range(40))
    code = ("mse = nn.MSELoss()\n"
            "for epoch in range(1, n_epochs + 1):\n"
            "    d_x_loss = Dx_real_loss + Dx_fake_loss\n"
            "    d_y_loss = Dy_real_loss + Dy_fake_loss\n"
            "    if epoch % print_every == 0:\n"
            "        print('Epoch [{:5d}/{:5d}] | d_X_loss: {:6.4f} | d_Y_loss: {:6.4f} | g_total_loss: {:6.4f}'.format(\n"
            "            epoch, n_epochs, d_x_loss.item(), d_y_loss.item(), g_total_loss.item()))\n")
    df = read_run(_notebook(tmp_path, code, log), pair="X")
    red = next(a for a in infer_metadata(df).assumptions if a.name == "d_loss_reduction")
    assert red.value == "sum" and "the code says otherwise" in red.reason


def test_error_d_is_a_d_loss_and_its_halved_terms_a_mean():
    """Held-out batch 159: 'errorD = (loss_real + loss_fake)/2' printed as Loss_D: the name was no D loss's, so the
    DCGAN tutorial's print format implied a sum."""
    hint = code_hints([(1, "errorD = (loss_real + loss_fake)/2\nerrorG = criterion(D(fake), ones)\n"
                           "print('[%d/%d] Loss_D: %.4f Loss_G: %.4f' % (epoch, n, errorD.item(), errorG.item()))\n")])
    assert hint["code_d_loss_reduction"][0] == "mean"


def test_least_squares_written_out_is_lsgan_and_beside_bce_names_no_family():
    """Held-out batches 150 and 164 (cs231n): 'loss = 0.5 * torch.mean((scores_real - 1) ** 2) + ..' was no
    least-squares code, so the notebook's BCE cell named the family of its LSGAN runs too (read at 1.39 / 0.693).
    Written out it is LSGAN (the paper's 1/2 here); beside BCE in one notebook, no family; a gradient penalty's
    '(norm - 1) ** 2' is none."""
    ls = "loss = 0.5 * torch.mean((scores_real - 1) ** 2) + 0.5 * torch.mean(scores_fake ** 2)\n"
    hint = code_hints([(1, ls)])
    assert hint["code_loss"][0] == "lsgan" and hint["code_lsgan_terms"][0] == "half"
    tf = code_hints([(1, "d_loss = tf.reduce_mean(tf.square(d_real - 1)) + tf.reduce_mean(tf.square(d_fake))\n")])
    assert tf["code_loss"][0] == "lsgan" and tf["code_lsgan_terms"][0] == "plain"
    assert "code_loss" not in code_hints([(1, "def bce_loss(x, t):\n    return nn.BCEWithLogitsLoss()(x, t)\n" + ls)])
    for half in ("loss = 0.5 * ( ((scores_real - 1) ** 2).mean() + (scores_fake ** 2).mean() )\n",
                 "D_loss = tf.reduce_mean(0.5*tf.square(scores_real-1)) + tf.reduce_mean(0.5*tf.square(scores_fake))\n"):
        assert code_hints([(1, half)])["code_lsgan_terms"][0] == "half"
    one_half = code_hints([(1, "d_loss = 0.5 * (torch.mean((d_real - 1)**2) + torch.mean(d_fake**2))\nprint(d_loss.item())\n")])
    assert (one_half["code_lsgan_terms"][0], one_half["code_d_loss_reduction"][0]) == ("plain", "mean")   # its 0.5 once
    stable_bce = "neg_abs = - input.abs()\nloss = input.clamp(min=0) - input * target + (1 + neg_abs.exp()).log()\n"
    assert code_hints([(1, stable_bce)])["code_loss"][0] == "nsgan" and "code_loss" not in code_hints([(1, stable_bce + ls)])
    assert code_hints([(1, "gp = ((gradients.norm(2, dim=1) - 1) ** 2).mean()\ncriterion = nn.BCELoss()\n")]
                      )["code_loss"][0] == "nsgan"
    for gp in ("gradient_penalty = torch.mean((gradient_norm-1)**2)\n", "gp = tf.reduce_mean(tf.square(grad_norm - 1.0))\n"):
        assert code_hints([(1, gp)]).get("code_loss", ("",))[0] != "lsgan"


def test_a_tf1_loss_evaluated_into_a_printed_name_is_printed():
    """Held-out batches 162-163 (Udacity's TensorFlow GANs): 'train_loss_d = d_loss.eval({..})' then a print of
    train_loss_d over three lines, under 'if steps % 100 == 0:'; the sum 'd_loss = d_loss_real + d_loss_fake' was
    not taken (d_loss was never printed by name) and the interval not read (no loss on the print's first line)."""
    code = ("d_loss = d_loss_real + d_loss_fake\n"
            "for epoch_i in range(epoch_count):\n"
            "    for batch_images in get_batches(batch_size):\n"
            "        steps += 1\n"
            "        if steps % 100 == 0:\n"
            "            train_loss_d = d_loss.eval({input_z: batch_z, input_real: batch_images})\n"
            "            train_loss_g = g_loss.eval({input_z: batch_z})\n"
            "            print('Epoch {}/{}...'.format(epoch_i+1, epochs),\n"
            "                  'Discriminator Loss: {:.4f}...'.format(train_loss_d),\n"
            "                  'Generator Loss: {:.4f}'.format(train_loss_g))\n")
    hint = code_hints([(1, code)])
    assert hint["code_d_loss_reduction"][0] == "sum" and hint["code_print_every"][0] == 100


def test_each_run_of_a_notebook_takes_the_loss_its_own_cell_calls(tmp_path):
    """Held-out batches 150 and 164 (cs231n): one notebook trains a vanilla GAN, then an LSGAN, each a call
    'run_a_gan(D, G, .., discriminator_loss, generator_loss)' with other loss functions; the notebook's one family
    (or none, both being there) was every run's. Each run now takes the family of the functions its own cell
    passes, not run_a_gan's parameters of the same name."""
    rng = np.random.default_rng(164)
    defs = ("def bce_loss(input, target):\n    return nn.BCEWithLogitsLoss()(input, target)\n"
            "def discriminator_loss(logits_real, logits_fake):\n"
            "    return bce_loss(logits_real, 1) + bce_loss(logits_fake, 0)\n"
            "def ls_discriminator_loss(scores_real, scores_fake):\n"
            "    return 0.5 * ((scores_real - 1) ** 2).mean() + 0.5 * (scores_fake ** 2).mean()\n")
    loop = ("def run_a_gan(D, G, D_solver, G_solver, discriminator_loss, generator_loss, num_epochs=10):\n"
            "    for epoch in range(num_epochs):\n"
            "        d_total_error = discriminator_loss(logits_real, logits_fake)\n"
            "        print('Iter: {}, D: {:.4}, G:{:.4}'.format(iter_count, d_total_error.item(), g_error.item()))\n")

    def cell(source, log=None):
        out = [{"output_type": "stream", "name": "stdout", "text": log}] if log else []
        return {"cell_type": "code", "source": source, "metadata": {}, "execution_count": 1, "outputs": out}

    def log(d, g):
        return "".join(f"Iter: {250 * k}, D: {d[k]:.4}, G:{g[k]:.4}\n" for k in range(len(d)))

    nb = {"cells": [cell(defs), cell(loop),
                    cell("run_a_gan(D, G, D_solver, G_solver, discriminator_loss, generator_loss)\n",
                         log(1.2 + 0.2 * rng.random(16), 0.8 + 0.3 * rng.random(16))),
                    cell("run_a_gan(D_LS, G_LS, D_LS_solver, G_LS_solver, ls_discriminator_loss, ls_generator_loss)\n",
                         log(0.2 + 0.1 * rng.random(16), 0.3 + 0.1 * rng.random(16)))],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "cs231n.ipynb"
    p.write_text(json.dumps(nb))
    runs = read_runs(p)
    runs = {k.split(":")[-1]: v for k, v in runs.items()}
    assert sorted(runs) == ["cell3", "cell4"]
    assert runs["cell3"].attrs["code_loss"][0] == "nsgan" and runs["cell4"].attrs["code_loss"][0] == "lsgan"
    assert infer_metadata(runs["cell4"]).loss == "lsgan" and runs["cell4"].attrs["lsgan_terms"] == "half"
    # held-out batches 328, 334 and 340: the PyTorch edition keeps its losses in cs231n/gan_pytorch.py, so the run's
    # cell naming both least-squares losses is all the notebook says; the DCGAN run after it passes the BCE ones
    nb["cells"] = [cell("from cs231n.gan_pytorch import discriminator_loss, ls_discriminator_loss, ls_generator_loss\n"
                        "def bce_loss(input, target):\n    return nn.BCEWithLogitsLoss()(input, target)\n"),
                   nb["cells"][2], nb["cells"][3],
                   cell("run_a_gan(D_DC, G_DC, D_DC_solver, G_DC_solver, discriminator_loss, generator_loss)\n",
                        log(1.2 + 0.2 * rng.random(16), 0.8 + 0.3 * rng.random(16)))]
    p.write_text(json.dumps(nb))
    runs = {k.split(":")[-1]: v for k, v in read_runs(p).items()}
    assert sorted(runs) == ["cell2", "cell3", "cell4"]
    assert runs["cell3"].attrs["code_loss"][0] == "lsgan" and infer_metadata(runs["cell3"]).loss == "lsgan"
    assert infer_metadata(runs["cell2"]).loss == "nsgan" and infer_metadata(runs["cell4"]).loss == "nsgan"
    # held-out batch 552/00 (EECS 498 A6, its losses written in the notebook): the BCE imported as "bce_loss", the
    # LSGAN D loss "1/2 * (sum((s_real - 1) ** 2) + sum(s_fake ** 2)) / N" beside G's "1/(2 * N) * sum(..)"; the
    # DCGAN run read as LSGAN (the notebook's last family) and the LSGAN run's D as a mean of half terms (the BCE's
    # sum, another family's, restated): levels 0.25 / 0.25 and 0.125 / 0.125 where the code computes 0.25 / 0.125
    eecs = [cell("from torch.nn.functional import binary_cross_entropy_with_logits as bce_loss\n"),
            cell("def discriminator_loss(logits_real, logits_fake):\n  N = logits_real.shape[0]\n"
                 "  loss = (bce_loss(logits_real, true_labels) + bce_loss(logits_fake, fake_labels))\n  return loss\n"
                 "def generator_loss(logits_fake):\n  loss = bce_loss(logits_fake, true_labels)\n  return loss\n"),
            cell(loop), nb["cells"][1],
            cell("def ls_discriminator_loss(scores_real, scores_fake):\n  N = scores_real.shape[0]\n"
                 "  loss = 1/2 * (torch.sum((scores_real - 1) ** 2) + torch.sum(scores_fake ** 2)) / N\n  return loss\n"
                 "def ls_generator_loss(scores_fake):\n  N = scores_fake.shape[0]\n"
                 "  loss = 1/(2 * N) * torch.sum((scores_fake - 1) ** 2)\n  return loss\n"),
            nb["cells"][2], nb["cells"][3]]
    nb["cells"] = eecs
    p.write_text(json.dumps(nb))
    runs = {k.split(":")[-1]: v for k, v in read_runs(p).items()}
    assert sorted(runs) == ["cell4", "cell6", "cell7"]
    levels = {}
    for name, df in runs.items():
        meta = infer_metadata(df)
        levels[name] = (meta.loss, meta.d_loss_reduction, df.attrs.get("lsgan_terms"))
    assert levels["cell4"][:2] == levels["cell7"][:2] == ("nsgan", "sum")
    assert levels["cell6"] == ("lsgan", "sum", "half")       # D: half terms added (0.25), G: a half term (0.125)
    # a method two classes define is no call the run's cell pins down (a GAN's and a WGAN's train_model)
    two = [(1, "class GAN:\n    def train_model(self):\n        loss = nn.BCELoss()\n"),
           (2, "class WGAN:\n    def train_model(self):\n        p.data.clamp_(-0.01, 0.01)\n"), (3, "gan.train_model()\n")]
    assert [k for k, _ in run_code(two, {3})] == [3]


def test_smoothed_real_labels_in_the_code_are_read_and_not_advised_again(tmp_path):
    """Held-out batches 173 and 178: Udacity face GANs with 'labels = torch.ones(batch_size)*0.9' in their real_loss
    were advised 'weaken D with one-sided label smoothing (real targets 0.9)', which they already did. The code's
    smoothing is read (also '* (1 - smooth)' with 'smooth = 0.1', 'real_label = 0.9', '0.9 * np.ones(..)'), and
    the advice is not given; hard labels, a fake target or a 0.5 give none."""
    for code in ("labels = torch.ones(batch_size)*0.9\n", "smooth = 0.1\nd_loss_real = loss(x, tf.ones_like(x) * (1 - smooth))\n",
                 "real_label = 0.9\n", "valid = 0.9 * np.ones((batch_size, 1))\n"):
        assert code_hints([(1, code)])["code_label_smoothing"][0] == pytest.approx(0.1), code
    for code in ("labels = torch.ones(batch_size)\n", "real_label = 1\n", "y = np.ones((n, 1)) * 0.5\n",
                 "labels = torch.ones(batch_size)*0.9\nvalid = 0.8 * np.ones((n, 1))\n"):
        assert "code_label_smoothing" not in code_hints([(1, code)]), code
    rng = np.random.default_rng(173)
    d, g = 0.35 + 0.1 * rng.random(120), 3.5 + rng.random(120)
    log = "".join(f"Epoch [{k // 6 + 1:5d}/   20] | d_loss: {d[k]:6.4f} | g_loss: {g[k]:6.4f}\n" for k in range(120))
    code = DCGAN_CODE.replace("criterion = nn.BCELoss()", "criterion = nn.BCEWithLogitsLoss()\nlabels = torch.ones(batch_size)*0.9")
    res = diagnose(read_run(_notebook(tmp_path, code, log)))
    assert not any("label smoothing" in a for a in res.summary["advice"])


def test_a_d_loss_function_returning_half_its_sum_is_a_mean():
    """Held-out batch 177: the TensorFlow CycleGAN tutorial's 'total_disc_loss = real_loss + generated_loss' then
    'return total_disc_loss * 0.5' was read as a sum (the return's half unread, 'generated' no fake term's name)."""
    code = ("def discriminator_loss(real, generated):\n"
            "    real_loss = loss_obj(tf.ones_like(real), real)\n"
            "    generated_loss = loss_obj(tf.zeros_like(generated), generated)\n"
            "    total_disc_loss = real_loss + generated_loss\n"
            "    return total_disc_loss * 0.5\n")
    assert code_hints([(1, code)])["code_d_loss_reduction"][0] == "mean"
    assert code_hints([(1, code.replace(" * 0.5", ""))])["code_d_loss_reduction"][0] == "sum"


def test_a_tf1_run_takes_the_loss_its_tensors_were_built_from():
    """Held-out batch 184 (cs231n, TensorFlow): 'D_loss, G_loss = lsgan_loss(logits_real, logits_fake)' a cell above
    'run_a_gan(sess, G_train_step, G_loss, D_train_step, D_loss, ..)': the run's cell names tensors, not loss
    functions, so the LSGAN run took the notebook's BCE. Its tensors' last assignment is followed; 'tf.pow(x - 1, 2)'
    is least squares; two halved terms added are the paper's half terms summed (its G's half too)."""
    ls = ("def lsgan_loss(score_real, score_fake):\n"
          "    D_loss = 0.5 * tf.reduce_mean(tf.pow(score_real - 1, 2)) + 0.5 * tf.reduce_mean(tf.pow(score_fake, 2))\n"
          "    G_loss = 0.5 * tf.reduce_mean(tf.pow(score_fake - 1, 2))\n"
          "    return D_loss, G_loss\n")
    bce = ("def gan_loss(logits_real, logits_fake):\n"
           "    D_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logits_real), "
           "logits=logits_real))\n    return D_loss, G_loss\n")
    cells = [(1, ls), (2, bce), (3, "D_loss, G_loss = gan_loss(logits_real, logits_fake)\n"), (4, "run_a_gan(sess, D_loss)\nprint(D_loss)\n"),
             (5, "D_loss, G_loss = lsgan_loss(logits_real, logits_fake)\n"), (6, "run_a_gan(sess, G_loss, D_loss)\nprint(D_loss)\n")]
    first, second = (code_hints(run_code(cells, {k})) for k in (4, 6))
    assert first["code_loss"][0] == "nsgan" and second["code_loss"][0] == "lsgan"
    assert (second["code_lsgan_terms"][0], second["code_d_loss_reduction"][0]) == ("half", "sum")


def test_a_batch_mean_in_d_loss_is_no_mean_over_steps():
    """PyTorch-GAN's WGAN-GP 'd_loss = -torch.mean(real_validity) + torch.mean(fake_validity)' printed with .item() was
    read as a mean over steps (torch.mean matched as an aggregate of the log's values); a list's mean still is."""
    step = code_hints([(1, "d_loss = -torch.mean(real_validity) + torch.mean(fake_validity)\nprint(d_loss.item())\n")])
    assert step["code_averaged"][0] is False
    assert code_hints([(1, "d_loss = sum(d_losses) / len(d_losses)\nprint(d_loss)\n")])["code_averaged"][0] is True


def test_lsgans_terms_are_read_from_gs_own_line():
    """Held-out batch 164 (cs231n, TensorFlow 2020): 'D_loss = 0.5*(fake_image_loss + real_image_loss)' over plain
    squares read as plain terms averaged, so G's equilibrium was 0.25 and its 'G_loss = 0.5 * reduce_mean(..)' at
    0.22 read 'G fools D'. G's own line says half terms: D's level is then the paper's half terms added."""
    code = ("fake_image_loss = tf.reduce_mean((scores_real - 1)**2)\nreal_image_loss = tf.reduce_mean(scores_fake**2)\n"
            "D_loss = 0.5*(fake_image_loss + real_image_loss)\nG_loss = 0.5 * tf.reduce_mean((scores_fake - 1)**2)\n"
            "print(D_loss)\n")
    hint = code_hints([(1, code)])
    assert (hint["code_lsgan_terms"][0], hint["code_d_loss_reduction"][0]) == ("half", "sum")
    plain = code_hints([(1, code.replace("G_loss = 0.5 * ", "G_loss = "))])
    assert (plain["code_lsgan_terms"][0], plain["code_d_loss_reduction"][0]) == ("plain", "mean")


def test_least_squares_against_a_tensor_of_ones_and_a_run_s_own_cells_only(tmp_path):
    """Held-out batch 193 (cs231n): 7 of 8 LSGAN runs read as the notebook's BCE. Their D losses are written against a
    tensor of ones or labels ('(scores_real - true_labels) ** 2', 'torch.ones_like(scores_real).type(dtype)',
    'torch.ones(N)', TF's 'tf.pow(score_real-1.,2.)'), and the vanilla run's group held the LSGAN test cell printed
    after it, so its own code held both families and the notebook's LSGAN line spoke for it ('mean'). Each run's
    code now runs from its first training cell to its last; what it does not say, another run's code does not."""
    for line in ("valid_loss = torch.mean((scores_real - true_labels) ** 2) * .5",
                 "loss = (0.5*(scores_real-torch.ones_like(scores_real).type(dtype))**2+0.5*scores_fake**2).mean()",
                 "loss = (0.5 * torch.mean((scores_real-torch.ones(N).type(dtype))**2)) + (0.5 * torch.mean(scores_fake**2))",
                 "D_loss = 0.5*tf.reduce_mean(tf.pow(score_fake,2.)) + 0.5*tf.reduce_mean(tf.pow(score_real-1.,2.))"):
        assert code_hints([(1, f"def ls_discriminator_loss(scores_real, scores_fake):\n    {line}\n")])["code_loss"][0] \
            == "lsgan", line
    for line in ("x = torch.mean((fake_img - real) ** 2)", "gp = ((grad.norm(2, dim=1) - 1) ** 2).mean()",
                 "l = torch.mean((fake_B - real_B) ** 2)"):
        assert code_hints([(1, line + "\n")]).get("code_loss", ("",))[0] != "lsgan", line
    assert code_hints([(1, "D_loss = D_loss1 + D_loss2\nprint(D_loss)\n")])["code_d_loss_reduction"][0] == "sum"
    # held-out batch 202: PyTorch's chained methods and the half written as '1/2 *' or '/2'
    chained = code_hints([(1, "def ls_generator_loss(scores_fake):\n    loss=scores_fake.sub(1).pow(2).mean()/2\n")])
    assert chained["code_loss"][0] == "lsgan" and chained["code_lsgan_terms"][0] == "half"
    assert code_hints([(1, "def ls_generator_loss(scores_fake):\n    loss = torch.mean (1/2 *(scores_fake - 1) ** 2)\n")])[
        "code_lsgan_terms"][0] == "half"
    # held-out batch 207: TensorFlow's calls, 'tf.square(tf.subtract(score_fake, 1))' and 'tf.multiply(0.5, ..)'
    tf_calls = code_hints([(1, "def lsgan_loss(score_real, score_fake):\n"
                               "    G_loss = tf.multiply(0.5, tf.reduce_mean(tf.square(tf.subtract(score_fake, 1))))\n")])
    assert tf_calls["code_loss"][0] == "lsgan" and tf_calls["code_lsgan_terms"][0] == "half"

    def cell(source, log=None):
        out = [{"output_type": "stream", "name": "stdout", "text": log}] if log else []
        return {"cell_type": "code", "source": source, "metadata": {}, "execution_count": 1, "outputs": out}

    rng = np.random.default_rng(193)
    log = "".join(f"Iter: {250 * k}, D: {1.2 + 0.2 * rng.random():.4}, G:{0.8 + 0.3 * rng.random():.4}\n" for k in range(16))
    ls_log = "".join(f"Iter: {250 * k}, D: {0.2 + 0.1 * rng.random():.4}, G:{0.3 + 0.1 * rng.random():.4}\n" for k in range(16))
    nb = {"cells": [cell("def gan_loss(logits_real, logits_fake):\n"
                         "    D_loss1 = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=ones, logits=logits_real))\n"
                         "    D_loss2 = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=zeros, logits=logits_fake))\n"
                         "    D_loss = D_loss1 + D_loss2\n    return D_loss, G_loss\n"),
                    cell("def run_a_gan(sess, D_loss, G_loss):\n    _, D_loss_curr = sess.run([D_step, D_loss])\n"
                         "    print('Iter: {}, D: {:.4}, G:{:.4}'.format(it, D_loss_curr, G_loss_curr))\n"),
                    cell("D_loss, G_loss = gan_loss(logits_real, logits_fake)\n"),
                    cell("run_a_gan(sess, D_loss, G_loss)\n", log),
                    cell("def lsgan_loss(score_real, score_fake):\n"
                         "    D_loss = 0.5*tf.reduce_mean(tf.pow(score_fake,2.)) + 0.5*tf.reduce_mean(tf.pow(score_real-1.,2.))\n"
                         "    G_loss = 0.5*tf.reduce_mean(tf.pow(score_fake-1.,2.))\n    return D_loss, G_loss\n"
                         "def test_lsgan_loss(score_real, score_fake):\n    d, g = lsgan_loss(score_real, score_fake)\n"),
                    cell("test_lsgan_loss(answers['logits_real'], answers['logits_fake'])\n",
                         "Maximum error in d_loss: 0\nMaximum error in g_loss: 0\n"),
                    cell("D_loss, G_loss = lsgan_loss(logits_real, logits_fake)\n"),
                    cell("run_a_gan(sess, D_loss, G_loss)\n", ls_log)],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "cs231n_tf.ipynb"
    p.write_text(json.dumps(nb))
    runs = {k.split(":")[-1]: v for k, v in read_runs(p).items()}
    assert sorted(runs) == ["cell4", "cell8"]
    assert runs["cell4"].attrs["code_loss"][0] == "nsgan" and runs["cell4"].attrs["code_d_loss_reduction"][0] == "sum"
    assert runs["cell8"].attrs["code_loss"][0] == "lsgan"


def test_smoothing_through_a_variable_and_a_branch_that_never_runs():
    """Held-out batch 201: 'labels=tf.ones_like(d_model_real)*smooth' with 'smooth = 0.9' smooths (it was missed),
    and Udacity's 'def real_loss(D_out, smooth=False): if smooth: labels = torch.ones(n)*0.9' smooths only where a
    call passes smooth=True (it was read as smoothing where no call did)."""
    assert code_hints([(1, "smooth = 0.9\nloss = bce(logits=d_real, labels=tf.ones_like(d_real)*smooth)\n")])[
        "code_label_smoothing"][0] == pytest.approx(0.1)
    assert "code_label_smoothing" not in code_hints([(1, "scale = 0.9\nx = tf.ones_like(d) * scale\n")])
    # held-out batch 211: a tensor of ones by its name, in a conditional expression
    assert code_hints([(1, "loss = criterion(D_out.squeeze(), target_as_ones * 0.9 if smooth else target_as_ones)\n")])[
        "code_label_smoothing"][0] == pytest.approx(0.1)
    udacity = ("def real_loss(D_out, smooth=False):\n    batch_size = D_out.size(0)\n    if smooth:\n"
               "        labels = torch.ones(batch_size)*0.9\n    else:\n        labels = torch.ones(batch_size)\n"
               "    return criterion(D_out.squeeze(), labels)\n")
    assert "code_label_smoothing" not in code_hints([(1, udacity + "d_real_loss = real_loss(D_real)\n")])
    for call in ("real_loss(D_real, smooth=True)", "real_loss(D_real, True)"):
        assert code_hints([(1, udacity + f"d_real_loss = {call}\n")])["code_label_smoothing"][0] == pytest.approx(0.1)
    # held-out batch 206: True passed only where G's loss calls it on the fakes' outputs smooths G's target, not D's
    assert "code_label_smoothing" not in code_hints([(1, udacity + "d_real_loss = real_loss(D_real)\n"
                                                         "g_loss = real_loss(D_fake, True)\n")])


def test_a_mean_of_a_list_made_an_array_is_averaged():
    """Held-out batch 217: a Keras GAN prints 'np.asarray(d_losses).mean()' of the epochs' last-batch losses, a
    running mean since epoch 1; read as each epoch's own value (averaged=False)."""
    code = ("for epoch in range(epochs):\n    d_loss = discriminator.train_on_batch(X, y_dis)\n"
            "    d_losses.append(d_loss)\n    g_losses.append(g_loss)\n"
            "    print('epoch: {}, Discriminator Loss: {}, Generator Loss: {}'.format(epoch, "
            "np.asarray(d_losses).mean(), np.asarray(g_losses).mean()))\n")
    assert code_hints([(1, code)])["code_averaged"][0] is True
    assert code_hints([(1, code.replace("np.asarray(d_losses).mean()", "d_loss"))]).get("code_averaged", (None,))[0] \
        is not True


def test_a_mean_made_from_an_epochs_total_is_averaged():
    """Held-out batch 708/00: 'total_d_loss += d_loss.item()' over the epoch's batches, then 'avg_d_loss =
    total_d_loss/len(train_loader)' and a print of avg_d_loss: read as single-step values (averaged=False)."""
    code = ("for i in range(epochs):\n  total_d_loss = 0\n  for real_img, _ in train_loader:\n"
            "    d_loss = (d_real_loss + d_fake_loss) / 2\n    total_d_loss += d_loss.item()\n"
            "  avg_d_loss = total_d_loss / len(train_loader)\n  avg_g_loss = total_g_loss / len(train_loader)\n"
            "  print('Epoch: {} | Discriminator Loss: {} | Generator Loss: {}'.format(i + 1, avg_d_loss, avg_g_loss))\n")
    assert code_hints([(1, code)])["code_averaged"][0] is True


def test_a_mean_of_a_list_made_a_float_tensor_is_averaged():
    """Held-out batch 698/00 (Raschka's book's DCGAN): "print(f'Epoch {epoch:03d} | Avg Losses >> ' + f'G/D
    {torch.FloatTensor(g_losses).mean():.4f}' + f'/{torch.FloatTensor(d_losses).mean():.4f}')", each epoch's mean
    over its batches: read as single-step values (averaged=False) from the rows' noise."""
    code = ("def d_train(x):\n    d_loss = d_loss_real + d_loss_fake\n    d_loss.backward()\n"
            "    return d_loss.data.item(), d_proba_real.detach(), d_proba_fake.detach()\n"
            "for epoch in range(1, num_epochs + 1):\n    d_losses, g_losses = [], []\n"
            "    for i, (x, _) in enumerate(mnist_dl):\n        d_loss, d_proba_real, d_proba_fake = d_train(x)\n"
            "        d_losses.append(d_loss)\n        g_losses.append(g_train(x))\n"
            "    print(f'Epoch {epoch:03d} | Avg Losses >> ' + f'G/D {torch.FloatTensor(g_losses).mean():.4f}'"
            " + f'/{torch.FloatTensor(d_losses).mean():.4f}')\n")
    assert code_hints([(1, code)])["code_averaged"][0] is True


UDACITY_TRAIN = """d_optimizer = optim.Adam(D.parameters(), lr)
g_optimizer = optim.Adam(G.parameters(), lr)
for epoch in range(num_epochs):
    for batch_i, (real_images, _) in enumerate(train_loader):
        D_real = D(real_images)
        d_loss = real_loss(D_real, smooth=True) + fake_loss(D(G(z)))
        d_loss.backward()
        d_optimizer.step()
        g_optimizer.zero_grad()
        g_loss = real_loss(D(G(z)))
        g_loss.backward()
        g_optimizer.step()
        if batch_i % print_every == 0:
            print('Epoch [{:5d}/{:5d}] | d_loss: {:6.4f} | g_loss: {:6.4f}'.format(
                    epoch+1, num_epochs, d_loss.item(), g_loss.item()))
"""


def test_an_optimiser_stepped_and_never_zeroed_is_found():
    """Held-out batches 212 and 218: Udacity notebooks whose D optimiser is never zeroed (D's gradients pile up)
    made noise; the check names the optimiser, its network and the line that steps it, and says nothing where
    anything may zero it."""
    role, why = code_hints([(20, UDACITY_TRAIN)])["code_unzeroed_optimiser"]
    assert role == "D" and "d_optimizer" in why and "`d_optimizer.step()` (cell 20)" in why and "D.zero_grad()" in why
    zeroed = UDACITY_TRAIN.replace("        D_real = D(real_images)\n", "        d_optimizer.zero_grad()\n        D_real = D(real_images)\n")
    for fine in (zeroed, zeroed.replace("d_optimizer.zero_grad()", "D.zero_grad()"),
                 zeroed.replace("d_optimizer.zero_grad()", "reset_grad(opt)"),       # not zero_grad: still unzeroed
                 UDACITY_TRAIN + "def reset(opt):\n    opt.zero_grad()\n",           # a helper may zero it
                 UDACITY_TRAIN + "for p in D.parameters():\n    p.grad = None\n",
                 "d_loss.backward()\nd_optimizer.step()\n"):                         # an optimiser the code never built
        found = code_hints([(1, fine)]).get("code_unzeroed_optimiser")
        assert (found is not None) == ("reset_grad(opt)" in fine), fine
    both = UDACITY_TRAIN.replace("g_optimizer.zero_grad()", "pass").replace(
        "d_optimizer.step()", "scaler.step(d_optimizer)")
    role, why = code_hints([(1, both)])["code_unzeroed_optimiser"]
    assert role == "D and G" and "their gradients" in why
    # G zeroed with set_to_none, D never: D is still found (the keyword is no helper that may zero anything)
    role, _ = code_hints([(1, UDACITY_TRAIN.replace("g_optimizer.zero_grad()", "g_optimizer.zero_grad(set_to_none=True)"))])[
        "code_unzeroed_optimiser"]
    assert role == "D"
    # another model's optimiser, named for neither network (held-out batch 533/00: a VAE feature extractor's
    # "optimizer = torch.optim.Adam(model.parameters(), ..)" stepped unzeroed in its own cell, the GAN's zeroed)
    vae = "optimizer = torch.optim.Adam(model.parameters(), lr=3e-5)\nfor x in loader:\n    loss.backward()\n    optimizer.step()\n"
    assert "code_unzeroed_optimiser" not in code_hints([(6, vae), (12, UDACITY_TRAIN.replace(
        "        D_real = D(real_images)\n", "        d_optimizer.zero_grad()\n        D_real = D(real_images)\n"))])
    # held-out batch 598/04: G's optimiser built on D's parameters and zeroed each step clears D's gradients too, so
    # d_optimizer, never zeroed by name, does not pile them up (the crossed optimiser is its own fact)
    crossed = (UDACITY_TRAIN.replace("g_optimizer = optim.Adam(G.parameters()", "g_optimizer = optim.Adam(D.parameters()")
               .replace("        D_real = D(real_images)\n", "        g_optimizer.zero_grad()\n        D_real = D(real_images)\n"))
    assert "g_optimizer = optim.Adam(D.parameters()" in crossed
    assert "code_unzeroed_optimiser" not in code_hints([(1, crossed)])


def test_the_diagnosis_leads_with_gradients_never_zeroed(tmp_path):
    """A log of ordinary-looking losses whose code never zeroes D's optimiser: the code's fact leads the finding
    (it read healthy, batch 212) and the advice says what to call."""
    rng = np.random.default_rng(9)
    d, g = 1.2 + 0.3 * rng.random(120), 1.0 + 0.5 * rng.random(120)
    log = "".join(f"Epoch [{1 + k // 4:5d}/{30:5d}] | d_loss: {d[k]:6.4f} | g_loss: {g[k]:6.4f}\n" for k in range(120))
    res = diagnose(read_run(_notebook(tmp_path, UDACITY_TRAIN, log)))
    assert res.summary["main_finding"].startswith("The notebook's code steps d_optimizer")
    assert "D's gradients pile up over the run" in res.summary["main_finding"]
    assert any("zero D's gradients before each of its backward passes" in a for a in res.summary["advice"])
    fixed = UDACITY_TRAIN.replace("        D_real = D(real_images)\n", "        D.zero_grad()\n        D_real = D(real_images)\n")
    res = diagnose(read_run(_notebook(tmp_path, fixed, log, "fixed.ipynb")))
    assert "zero_grad" not in res.summary["main_finding"] and not any("zero_grad" in a for a in res.summary["advice"])


def test_a_huge_bce_level_printed_per_step_is_not_explained_as_a_sum_over_batches(tmp_path):
    """Held-out batch 218: D's printed BCE loss grew to 2e7, each row one batch's d_loss.item() (the code says so);
    the note offered 'most likely each row sums many batches' losses', which the code rules out."""
    rng = np.random.default_rng(11)
    d, g = 10 ** (2 + 4 * np.linspace(0, 1, 120)) * (1 + rng.random(120)), 50 + 100 * rng.random(120)
    log = "".join(f"Epoch [{1 + k // 3:5d}/{40:5d}] | d_loss: {d[k]:.4f} | g_loss: {g[k]:.4f}\n" for k in range(120))
    zeroed = UDACITY_TRAIN.replace("        D_real = D(real_images)\n", "        D.zero_grad()\n        D_real = D(real_images)\n")
    code = "criterion = nn.BCEWithLogitsLoss()\n" + zeroed
    res = diagnose(read_run(_notebook(tmp_path, code, log)))
    assert "sums many batches" not in res.summary["main_finding"]
    summed = code.replace("d_loss.item()", "epoch_d_loss / n_batches")
    summed = summed.replace("        d_loss.backward()\n", "        d_loss.backward()\n        epoch_d_loss += d_loss.item()\n")
    res = diagnose(read_run(_notebook(tmp_path, summed, log, "summed.ipynb")))
    assert "sums many batches" in res.summary["main_finding"]


def test_statements_continued_in_brackets_are_read_whole():
    """Held-out batch 222: a print continued on the next line, "torch.mean(torch.FloatTensor(D_losses))", was
    never seen as a mean over the epoch; batch 224: "loss_D = loss_D_real + loss_D_gene" is a sum; batch 223: an
    AverageMeter's ".avg" is a mean."""
    code = ("for epoch in range(n):\n    for x in loader:\n        D_train_loss = D_real_loss + D_fake_loss\n"
            "        D_losses.append(D_train_loss.item())\n"
            "    print('Epoch {} - loss_d: {:.3f}, loss_g: {:.3f}'.format((epoch+1),\n"
            "                torch.mean(torch.FloatTensor(D_losses)), torch.mean(torch.FloatTensor(G_losses))))\n")
    h = code_hints([(1, code)])
    assert h["code_averaged"][0] is True and "torch.mean(torch.Float" in h["code_averaged"][1]
    assert code_hints([(1, "d_loss = (d_loss_real +\n          d_loss_fake)\nprint(d_loss.item())\n")])[
        "code_d_loss_reduction"][0] == "sum"
    assert code_hints([(1, "loss_D = loss_D_real + loss_D_gene\nprint(loss_D.item())\n")])["code_d_loss_reduction"][0] == "sum"
    meter = ("loss_D = AverageMeter()\nloss_D.update(d.item())\n"
             "tepoch.set_postfix(Dis_loss = loss_D.avg.item(), Gen_loss = loss_G.avg.item())\n")
    assert code_hints([(1, meter)])["code_averaged"][0] is True
    assert code_hints([(1, meter.replace("loss_D.avg.item()", "loss_D.val"))]).get("code_averaged", (None,))[0] is not True
    # held-out batch 571/00: a black-formatted print whose "% (..)" operand opens its own line was cut there (read as an
    # IPython magic), so D's "(real_loss + fake_loss) / 2" named no printed loss and the numbers' sum was guessed
    black = ("%matplotlib inline\n!pip install torch\nd_loss = (real_loss + fake_loss) / 2\nprint(\n"
             "    \"[Epoch %d/%d] [D loss: %f] [G loss: %f]\"\n    % (epoch, n_epochs, d_loss.item(), g_loss.item())\n)\n")
    assert [ln for _, ln in code_lines([(1, black)])] == [
        "d_loss = (real_loss + fake_loss) / 2",
        'print( "[Epoch %d/%d] [D loss: %f] [G loss: %f]" % (epoch, n_epochs, d_loss.item(), g_loss.item()) )']
    assert code_hints([(1, black)])["code_d_loss_reduction"][0] == "mean"


def test_a_weight_named_for_its_term_marks_a_composite_g_loss():
    """Held-out batch 234: a pix2pix notebook's 'netG_loss = f_gan_loss + L1_lambda*L1_loss' (L1_lambda = 100) read
    as a plain BCE G loss, its L1 term leading a d_dominant window and 'raise G's lr' advice."""
    code = "netD_loss = r_gan_loss + f_gan_loss\nnetG_loss = f_gan_loss + L1_lambda*L1_loss\nprint(netD_loss.item(), netG_loss.item())\n"
    h = code_hints([(1, code)])
    assert "L1_lambda*L1_loss" in h["g_loss_composite"]
    # held-out batch 559/03: the terms named by number, the L1 known by the criterion it calls
    code = ("gan_criterion1 = nn.BCEWithLogitsLoss()\ngan_criterion2 = nn.L1Loss()\n"
            "gen_loss1 = gan_criterion1(disc_preds_fake, torch.ones_like(disc_preds_fake))\n"
            "gen_loss2 = gan_criterion2(real, fake_img2)\ngen_loss = gen_loss1 + 100*gen_loss2\n"
            "gen_losses += gen_loss.item()\nprint(f'Generator loss: {gen_losses / steps}')\n")
    assert "gen_loss1 + 100*gen_loss2" in code_hints([(1, code)])["g_loss_composite"]
    plain = code.replace("gan_criterion2 = nn.L1Loss()", "gan_criterion2 = nn.BCEWithLogitsLoss()")
    assert "g_loss_composite" not in code_hints([(1, plain)])         # two adversarial terms: no other term


def test_smoothed_labels_as_a_fill_value():
    """Held-out batch 237: a Pokemon DCGAN trained D on 'label = torch.full((b_size,), 0.9, ..)' and was told to use
    one-sided label smoothing (real targets 0.9)."""
    for line in ("label = torch.full((b_size,), 0.9, dtype=torch.float, device=device)\n",
                 "label = torch.full([b_size], fill_value=0.9)\n", "label.data.fill_(0.9)\n"):
        assert code_hints([(1, line)])["code_label_smoothing"][0] == pytest.approx(0.1), line
    for line in ("label = torch.full((b_size,), 1.0)\n", "label.fill_(0.1)\n", "label = torch.full((b_size,), 0.)\n",
                 "attrs[:, 3] = torch.bernoulli(torch.full((batch_size,), 0.7))\n"):      # a probability, no label
        assert "code_label_smoothing" not in code_hints([(1, line)]), line


def test_a_d_loss_returned_by_a_training_function_and_appended_is_read():
    """Held-out batch 244: 'D_loss = D_real_loss + D_fake_loss' inside 'def D_train(x)' (returned, appended as
    'D_losses.append(D_train(x))', printed as 'torch.mean(torch.FloatTensor(D_losses))') was not read: the sum was
    guessed a mean from the levels and the epoch means single steps."""
    code = ("def D_train(x):\n    D_real_loss = criterion(D(x), y_real)\n    D_fake_loss = criterion(D(G(z)), y_fake)\n"
            "    D_loss = D_real_loss + D_fake_loss\n    D_loss.backward()\n    return D_loss.data.item()\n"
            "for epoch in range(n_epoch):\n    D_losses = []\n    for x in loader:\n        D_losses.append(D_train(x))\n"
            "    print('[%d/%d]: loss_d: %.3f' % (epoch, n_epoch,\n"
            "          torch.mean(torch.FloatTensor(D_losses))))\n")
    h = code_hints([(1, code)])
    assert h["code_d_loss_reduction"][0] == "sum" and "D_real_loss + D_fake_loss" in h["code_d_loss_reduction"][1]
    assert h["code_averaged"][0] is True
    # the function's value printed as it is: the step's own
    assert code_hints([(1, code.replace("torch.mean(torch.FloatTensor(D_losses))", "D_losses[-1]"))]).get(
        "code_averaged", (None,))[0] is not True
    # a function whose return names no D loss does not carry one
    assert "code_d_loss_reduction" not in code_hints([(1, code.replace("return D_loss.data.item()", "return 0"))])


def test_a_list_of_epoch_means_printed_as_its_last_is_averaged():
    """Held-out batch 244: 'losses_d.append(np.mean(loss_d_per_epoch))' then 'print(.., losses_d[-1])' was read as
    the step's own value (the print's format string names loss_d)."""
    code = ("for epoch in range(epochs):\n    loss_d_per_epoch = []\n    for x in dl:\n"
            "        loss_d = real_loss + fake_loss\n        loss_d_per_epoch.append(loss_d.item())\n"
            "    losses_d.append(np.mean(loss_d_per_epoch))\n"
            "    print('Epoch [{}/{}], loss_d: {:.4f}'.format(epoch+1, epochs, losses_d[-1]))\n")
    assert code_hints([(1, code)])["code_averaged"][0] is True
    assert code_hints([(1, code.replace("np.mean(loss_d_per_epoch)", "loss_d_per_epoch[-1]"))])[
        "code_averaged"][0] is False


def test_a_list_of_lists_mean_is_averaged_and_a_g_update_interval_is_no_print_interval():
    """Held-out batch 244: 'errD[epoch].append(d_loss.item())' and 'set_postfix(errD=np.mean(errD[epoch]))' read as
    the step's own value; 'if iteration % config.generator_freq == 0:' over G's update (its loss appended to a
    list) read as printing every 5 iterations."""
    code = ("class Config:\n    def __init__(self):\n        self.generator_freq = 5\n"
            "for epoch in range(n):\n    for iteration, images in enumerate(loader):\n"
            "        d_loss = -(d_loss_real - d_loss_fake)\n        errD[epoch].append(d_loss.item())\n"
            "        if iteration % config.generator_freq == 0:\n            g_loss = -D(G(noise)).mean()\n"
            "            errG[epoch].append(g_loss.item())\n"
            "        progress_bar.set_postfix(epoch=epoch+1, errD=np.mean(errD[epoch]), errG=np.mean(errG[epoch]))\n")
    h = code_hints([(1, code)])
    assert h["code_averaged"][0] is True
    assert "code_print_every" not in h
    printed = code.replace("errG[epoch].append(g_loss.item())", "print(g_loss.item())")
    assert code_hints([(1, printed)])["code_print_every"][0] == 5


def _diagnosed_flat_run(tmp_path, code, d_level, g_level, seed):
    """The diagnosis of a notebook holding ``code`` and 120 flat rows (4 per epoch) of D and G losses near the levels."""
    rng = np.random.default_rng(seed)
    d, g = d_level + 0.005 * rng.random(120), g_level + 0.005 * rng.random(120)
    log = "".join(f"Epoch [{1 + k // 4:5d}/{30:5d}] | d_loss: {d[k]:6.4f} | g_loss: {g[k]:6.4f}\n" for k in range(120))
    return diagnose(read_run(_notebook(tmp_path, code, log)))


def test_an_optimiser_zeroed_and_never_stepped_is_found_and_leads(tmp_path):
    """Held-out batch 243: 'lossG.backward(); opt_disc.step()' (G's optimiser built, G zeroed, opt_gen never stepped)
    left G at its initial weights; the flat losses read healthy. The check names the optimiser and leads."""
    code = UDACITY_TRAIN.replace("        g_optimizer.step()\n", "        d_optimizer.step()\n").replace(
        "        D_real = D(real_images)\n", "        D.zero_grad()\n        D_real = D(real_images)\n")
    role, why = code_hints([(1, code)])["code_unstepped_optimiser"]
    assert role == "G" and "g_optimizer" in why and "G.parameters()" in why
    for fine in (code.replace("g_optimizer.zero_grad()", "pass"),       # never zeroed either: built, unused
                 code + "def step_all(opt):\n    opt.step()\n",          # a helper may step it
                 UDACITY_TRAIN,                                           # both stepped
                 code.replace("d_optimizer.step()", "pass")):             # none stepped (a framework's loop)
        assert "code_unstepped_optimiser" not in code_hints([(1, fine)]), fine
    assert "code_unstepped_optimiser" in code_hints([(1, code + "scheduler_g.step()\n")])
    # held-out batch 564/01: a third network's optimiser, built, zeroed and never stepped (a frozen text encoder),
    # is neither D's nor G's
    encoder = (UDACITY_TRAIN + "optimizer_TE = optim.Adam(text_encoder.parameters(), lr)\n"
               "optimizer_TE.zero_grad()\n")
    assert "code_unstepped_optimiser" not in code_hints([(1, encoder)])
    res = _diagnosed_flat_run(tmp_path, code, 0.34, 0.70, seed=5)
    assert res.summary["main_finding"].startswith("The notebook's code builds g_optimizer")
    assert "read from the loss patterns: healthy" not in res.summary["main_finding"]
    assert any("call that optimiser's step()" in a for a in res.summary["advice"])


def test_keras_3_train_on_batch_values_are_running_means(tmp_path):
    """Held-out batch 241: two Keras 3 notebooks (its '1/1 ━━━━' progress bars) printed what train_on_batch returned,
    which before keras-team/keras#22617 was the mean of every call since the model was compiled; read as single
    steps."""
    code = ("for step in range(10000):\n    d_loss = discriminator.train_on_batch(combined_images, labels)\n"
            "    a_loss = gan.train_on_batch(noise, misleading_targets)\n    if step % 100 == 0:\n"
            "        print(step, 'discriminator loss:', d_loss)\n        print(step, 'adversarial loss:', a_loss)\n")
    rng = np.random.default_rng(1)
    rows = "".join(f"\x1b[1m1/1\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m 0s 55ms/step\n{s} discriminator loss: "
                   f"{0.6 + 0.01 * rng.random():.6f}\n{s} adversarial loss: {0.8 + 0.01 * rng.random():.6f}\n"
                   for s in range(0, 10000, 100))
    df = read_run(_notebook(tmp_path, code, rows))
    assert len(df) == 100 and df["step"].iloc[-1] == 9900 and {"d_loss", "g_loss"} <= set(df.columns)
    assert df.attrs["code_averaged"][0] is True and "keras-team/keras#22617" in df.attrs["code_averaged"][1]
    keras2 = rows.replace("━━━━━━━━━━━━━━━━━━━━", "[==============================]")
    assert read_run(_notebook(tmp_path, code, keras2, "k2.ipynb")).attrs.get("code_averaged", (None,))[0] is not True


def test_a_bare_print_with_a_space_before_its_bracket_names_its_numbers(tmp_path):
    """Held-out batch 246: 'print (i, d_ls, g_ls, d_real_ls, d_fake_ls)' (FelixMohr's TF1 DCGAN) printed rows of bare
    numbers the reader refused; its names say which is which, the first the iteration."""
    code = ("for i in range(10000):\n    if i % 50 == 0:\n        print (i, d_ls, g_ls, d_real_ls, d_fake_ls)\n")
    rng = np.random.default_rng(2)
    log = "".join(f"{i} {0.6 + 0.1 * rng.random():.6f} {1.2 + 0.2 * rng.random():.6f} {0.9:.6f} {0.3:.6f}\n"
                  "not training discriminator\n" for i in range(0, 3000, 50))
    df = read_run(_notebook(tmp_path, code, log))
    assert df["step"].iloc[-1] == 2950 and df["d_loss"].between(0.6, 0.7).all() and df["g_loss"].between(1.2, 1.4).all()
    assert "d_loss_real" in df.columns


def test_one_negative_row_of_twenty_beside_bce_code_stays_bce_and_smoothing_keeps_the_codes_mean(tmp_path):
    """Held-out batch 242: one negative epoch in 20 (label noise) read a BCE notebook as a critic; and with real
    targets smoothed to 0.9 the Jensen bound (of BCE against 1 and 0) read a code's '(d_real + d_fake) * 0.5' as a
    sum."""
    d = np.r_[-0.67, np.full(19, 0.9)]
    p = _notebook(tmp_path, "loss_fn = tf.keras.losses.BinaryCrossentropy()\n", _log(d, np.full(20, 2.0)))
    loss = next(a for a in infer_metadata(read_run(p)).assumptions if a.name == "loss")
    assert loss.value == "nsgan" and "only one row" in loss.reason, loss.reason
    rng = np.random.default_rng(3)
    dx, dgz = 0.9 + 0.05 * rng.random(100), 0.01 * rng.random(100)
    # a mean of BCE against 0.9 / 0: -(0.9 log D(x) + 0.1 log(1 - D(x))) / 2 - log(1 - D(G(z))) / 2
    d = (-(0.9 * np.log(dx) + 0.1 * np.log(1 - dx)) - np.log(1 - dgz)) / 2
    log = "".join(f"[{k // 50}/5][{k % 50}/50] Loss_D: {d[k]:.4f} Loss_G: {4 + rng.random():.4f} D(x): {dx[k]:.4f} "
                  f"D(G(z)): {dgz[k]:.4f}\n" for k in range(100))
    code = ("criterion = nn.BCEWithLogitsLoss()\nreal_labels = torch.full((b,), 0.9)\n"
            "d_loss = (d_real + d_fake) * 0.5\nprint(d_loss.item())\n")
    red = next(a for a in infer_metadata(read_run(_notebook(tmp_path, code, log, "s.ipynb"))).assumptions
               if a.name == "d_loss_reduction")
    assert red.value == "mean" and "smoothed targets" in red.reason, red.reason
    unsmoothed = code.replace("real_labels = torch.full((b,), 0.9)\n", "")
    assert infer_metadata(read_run(_notebook(tmp_path, unsmoothed, log, "u.ipynb"))).d_loss_reduction == "sum"


def test_running_totals_meters_and_keras_3_losses_only():
    """Held-out batches 105/244: 'running_lossD += lossD.item()' (lossD unpacked from a helper) printed as
    'running_lossD' after '/= len(dataloader)'; batch 242: torchnet's 'D_losses.value()[0]'; batch 241's Keras 3 check
    applies to train_on_batch's losses, not to '_, real_acc = model.train_on_batch(..)'."""
    acc = ("for epoch in range(n):\n    running_lossD = 0.0\n    for x in dl:\n"
           "        fake_imgs, lossG, lossD = train_one_step(x)\n        running_lossD += lossD.item()\n"
           "    running_lossD /= len(dataloader)\n    print('epoch: {}, lossD: {}'.format(epoch, running_lossD))\n")
    assert code_hints([(1, acc)])["code_averaged"][0] is True
    meter = ("D_losses = AverageValueMeter()\nD_losses.add(d_loss.item())\n"
             "print('D_loss: {:.4f}'.format(D_losses.value()[0]))\n")
    assert code_hints([(1, meter)])["code_averaged"][0] is True
    from ganalyze.runlog.formats.code_hints import code_lines, keras3_running_mean_hint
    bar = "1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 55ms/step\n"
    assert keras3_running_mean_hint(code_lines([(1, "_, real_acc = model.train_on_batch(X, y)\n")]), bar) is None
    assert keras3_running_mean_hint(code_lines([(1, "d_loss1, _ = d_model.train_on_batch(X, y)\n")]), bar)[0] is True
    assert keras3_running_mean_hint(code_lines([(1, "d_loss1, _ = d_model.train_on_batch(X, y)\n")]), "[====]") is None
    # held-out batch 253: pip's own download bar draws the same glyphs, with no "/step"
    pip = "   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 1.2/1.2 MB 3.4 MB/s eta 0:00:00\n"
    assert keras3_running_mean_hint(code_lines([(1, "d_loss1, _ = d_model.train_on_batch(X, y)\n")]), pip) is None


def test_each_run_of_a_notebook_takes_its_loss_facts_from_its_own_cells(tmp_path):
    """Held-out batch 248: three runs in one notebook, each read as a sum from a later example cell's 'return
    real_loss + fake_loss' (no outputs) that none of them ran."""
    log1 = _log(np.full(60, 0.6) + 0.01 * np.arange(60) % 0.1, np.full(60, 1.0))
    cells = [{"cell_type": "code", "source": "d_loss = d.train_on_batch(x, y)\nprint(d_loss)\n",
              "metadata": {}, "execution_count": 1, "outputs": [{"output_type": "stream", "name": "stdout", "text": log1}]},
             {"cell_type": "code", "source": "def train2():\n    d_loss = d.train_on_batch(x, y)\n    print(d_loss)\n"
              "train2()\n", "metadata": {}, "execution_count": 2,
              "outputs": [{"output_type": "stream", "name": "stdout", "text": log1}]},
             {"cell_type": "code", "source": "def discriminator_loss(r, f):\n    return real_loss + fake_loss\n",
              "metadata": {}, "execution_count": None, "outputs": []}]
    p = tmp_path / "three.ipynb"
    p.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    runs = read_runs(p)
    assert len(runs) == 2
    for df in runs.values():
        assert "code_d_loss_reduction" not in df.attrs
    # the same helper defined before the runs may be theirs: its sum is read
    p.write_text(json.dumps({"cells": [cells[2], cells[0], cells[1]], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    for df in read_runs(p).values():
        assert df.attrs["code_d_loss_reduction"][0] == "sum"


def test_one_first_row_that_fits_an_untrained_hinge_d_does_not_outweigh_bce_in_the_code(tmp_path):
    """Held-out batch 258: a DCGAN with swapped, softened labels (real targets 0-0.3) starts at D 2.26 and G 0.002,
    which fits an untrained hinge D; its code's binary_cross_entropy was overruled by that one row."""
    d, g = np.r_[2.26, np.full(99, 0.8)], np.r_[0.002, np.full(99, 2.5)]
    p = _notebook(tmp_path, "criterion = lambda o, t: F.binary_cross_entropy(input=o, target=t)\n", _log(d, g))
    loss = next(a for a in infer_metadata(read_run(p)).assumptions if a.name == "loss")
    assert loss.value == "nsgan" and "one row cannot tell" in loss.reason, loss.reason
    # without code the first row still reads hinge
    plain = tmp_path / "plain.log"
    plain.write_text(_log(d, g))
    assert infer_metadata(read_run(plain)).loss == "hinge"


def test_a_function_that_trains_d_and_returns_its_loss_gives_the_sum():
    """Held-out batch 262: 'def train_discriminator(..): .. loss = real_loss + fake_loss; .. return loss.item()'
    (the Jovian GAN course's shape) named D's loss 'loss', which no D-loss pattern matched: no hint, and the
    levels guessed a mean."""
    code = ("def train_discriminator(optimizer, data_real):\n    real_loss = criterion(discriminator(data_real), ones)\n"
            "    fake_loss = criterion(discriminator(generator(noise())), zeros)\n    loss = real_loss + fake_loss\n"
            "    loss.backward()\n    optimizer.step()\n    return loss.item()\n")
    assert _hints(code)["code_d_loss_reduction"][0] == "sum"
    assert _hints(code.replace("real_loss + fake_loss", "(real_loss + fake_loss) / 2"))["code_d_loss_reduction"][0] == "mean"
    # a sum the function does not return is not what it reports
    assert "code_d_loss_reduction" not in _hints(code.replace("return loss.item()", "return 0"))
    # G's training function with the same shape of line says nothing of D
    assert "code_d_loss_reduction" not in _hints(code.replace("train_discriminator", "train_generator"))


def test_d_optimiser_built_on_gs_parameters_is_found_and_leads(tmp_path):
    """Held-out batch 272: 'optimizer_d = Adam(params=generator.parameters(), ..)' (Adam imported by name) gave D's
    optimiser G's weights: D never trained, its losses sat near ln 2 for 200 epochs and read healthy."""
    code = UDACITY_TRAIN.replace("d_optimizer = optim.Adam(D.parameters(), lr)",
                                 "d_optimizer = Adam(params=G.parameters(), lr=lr)")
    role, why = code_hints([(1, code)])["code_crossed_optimiser"]
    assert role == "D" and "d_optimizer" in why and "G.parameters()" in why
    for fine in (UDACITY_TRAIN,                                                          # each on its own network
                 code.replace("g_optimizer = optim.Adam(G.parameters(), lr)",         # D has an optimiser elsewhere
                              "g_optimizer = optim.Adam(D.parameters(), lr)")):
        assert "code_crossed_optimiser" not in code_hints([(1, fine)]), fine
    res = _diagnosed_flat_run(tmp_path, code, 0.72, 0.71, seed=6)
    assert res.summary["main_finding"].startswith("The notebook's code builds d_optimizer on G.parameters()")
    assert "read from the loss patterns: healthy" not in res.summary["main_finding"]
    assert any("build D's optimiser on D's own parameters" in a for a in res.summary["advice"])
    # held-out batch 563/04: the PyTorch DCGAN tutorial's names, the optimiser word before the role's letter
    tutorial = ("optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta, 0.999))\n"
                "optimizerG = optim.Adam(netD.parameters(), lr=lr, betas=(beta, 0.999))\n")
    role, why = code_hints([(1, tutorial)])["code_crossed_optimiser"]
    assert role == "G" and "optimizerG on netD.parameters()" in why
    each_own = tutorial.replace("optimizerG = optim.Adam(netD", "optimizerG = optim.Adam(netG")
    assert "code_crossed_optimiser" not in code_hints([(1, each_own)])


@pytest.mark.parametrize("d_line, g_line", [
    # held-out batch 276 (cs231n, PyTorch): '.pow(2)' was no least squares, and the notebook's BCE run set the family
    ("    loss = torch.mean((scores_real - 1).pow(2) + scores_fake.pow(2)) / 2\n",
     "    loss = torch.mean((scores_fake - 1).pow(2)) / 2\n"),
    ("    loss = (scores_real - 1).pow(2).mean()/2 + scores_fake.pow(2).mean()/2\n",
     "    loss = (scores_fake - 1).pow(2).mean() / 2\n"),
    # held-out batch 582/04 (EECS 498): the half in brackets, '(0.5)*(..)' and '(1/2)*torch.mean(..)', read as a plain
    # sum (D 0.5, G 0.25 at equilibrium)
    ("    real_loss = torch.mean((scores_real - 1)**2)\n    fake_loss = torch.mean((scores_fake)**2)\n"
     "    loss = (0.5)*(real_loss + fake_loss)\n",
     "    loss = (1/2)*torch.mean((scores_fake - 1)**2)\n"),
])
def test_a_cs231n_lsgan_run_reads_the_papers_half_terms_added(d_line, g_line):
    """cs231n's LSGAN functions, called by the run's cell ('run_a_gan(D, G, .., ls_discriminator_loss,
    ls_generator_loss)'), in three students' spellings: least squares with the paper's half terms (D 0.25, G 0.125 at
    equilibrium once D's two halves are read as added)."""
    bce = ("def discriminator_loss(logits_real, logits_fake):\n    loss = F.binary_cross_entropy_with_logits(logits_real, "
           "ones) + F.binary_cross_entropy_with_logits(logits_fake, zeros)\n    return loss\n")
    ls = (f"def ls_discriminator_loss(scores_real, scores_fake):\n{d_line}    return loss\n\n"
          f"def ls_generator_loss(scores_fake):\n{g_line}    return loss\n")
    cells = [(1, bce), (2, ls), (3, "run_a_gan(D, G, D_solver, G_solver, discriminator_loss, generator_loss)\n"),
             (4, "run_a_gan(D_LS, G_LS, D_LS_solver, G_LS_solver, ls_discriminator_loss, ls_generator_loss)\n")]
    h = code_hints(run_code(cells, {4}))
    # (the run's code holds the functions' bodies, not their names: D's sum or mean is left to the numbers unless a
    # body says it)
    assert (h["code_loss"][0], h["code_lsgan_terms"][0]) == ("lsgan", "half")
    assert h.get("code_d_loss_reduction", ("sum",))[0] == "sum"
    assert code_hints(run_code(cells, {3}))["code_loss"][0] == "nsgan"


def test_a_print_interval_written_without_a_space_after_if():
    """Held-out batch 288 (on the stop's final tool): 'if( steps % 100 == 0):' over Udacity's print was no print
    interval, so a 1,300-step run read as 130 iterations: 'too short to judge'."""
    code = ("for epoch in range(epochs):\n    for batch in get_batches(batch_size):\n        steps += 1\n"
            "        train(batch)\n        if( steps % 100 == 0):\n            print('Epoch {}/{}...'.format(epoch + 1, epochs),\n"
            "                  'Discriminator Loss: {:.4f}...'.format(train_loss_d))\n")
    assert code_hints([(1, code)])["code_print_every"][0] == 100
    assert code_hints([(1, code.replace("if( steps", "if (steps"))])["code_print_every"][0] == 100


def test_a_printed_mean_named_from_its_epoch_total_counts_as_printed():
    """Held-out batch 291: 'D_loss = (real_loss + fake_loss) / 2', 'running_D_loss += D_loss.item()', then
    'epoch_D_loss = running_D_loss / len(dataloader)' printed: the mean's name hid D's line, so D's reduction was
    guessed a sum from the loss level."""
    code = ("D_loss = (real_loss + fake_loss) / 2\nrunning_D_loss += D_loss.item()\n"
            "epoch_D_loss = running_D_loss / len(dataloader)\nprint(f'Train D Loss: {epoch_D_loss:.4f}')\n")
    assert _hints(code)["code_d_loss_reduction"][0] == "mean"
    assert "code_d_loss_reduction" not in _hints(code.replace("epoch_D_loss = running_D_loss", "epoch_D_loss = other"))


def test_least_squares_written_with_the_target_first_is_lsgan():
    """Held-out batch 298: Udacity's face notebook with 'torch.mean((1 - D_out.squeeze())**2)' was read as LSGAN from
    its levels only, with the paper's 1/2 assumed (equilibria off by 2): the code says plain squares."""
    code = ("def real_loss(D_out):\n    loss = torch.mean((1 - D_out.squeeze())**2)\n    return loss\n"
            "def fake_loss(D_out):\n    loss = torch.mean(D_out.squeeze()**2)\n    return loss\n"
            "d_loss = d_real_loss + d_fake_loss\nprint(d_loss)\n")
    h = _hints(code)
    assert (h["code_loss"][0], h["code_lsgan_terms"][0]) == ("lsgan", "plain")
    assert _hints(code.replace("torch.mean((1 - D_out.squeeze())**2)", "0.5 * torch.mean((1 - D_out).pow(2))"))[
        "code_lsgan_terms"][0] == "half"
    # a gradient penalty's "(1 - grad_norm) ** 2" is no least-squares term
    assert "code_loss" not in _hints("gp = torch.mean((1 - grad_norm) ** 2)\nprint(d_loss)\n")
    # held-out batch 321: CS231n's TensorFlow LSGAN names its target tensor 'true' ('true = tf.ones_like(score_fake)');
    # its run read as the BCE of an earlier cell
    ls = ("def ls_discriminator_loss(score_real, score_fake):\n    true = tf.ones_like(score_fake)\n"
          "    real_loss = tf.reduce_mean((score_real - true)**2)\n    fake_loss = tf.reduce_mean(score_fake**2)\n"
          "    loss = 0.5 * real_loss + 0.5 * fake_loss\n    return loss\nprint(d_loss)\n")
    assert _hints(ls)["code_loss"][0] == "lsgan"
    # held-out batch 339: '1./2*' halves as '1/2 *' does
    half = "loss = 1./2*(scores_real-1)**2 + 1./2*(scores_fake)**2\nprint(d_loss)\n"
    assert (_hints(half)["code_loss"][0], _hints(half)["code_lsgan_terms"][0]) == ("lsgan", "half")


def test_uniform_noise_moving_both_targets_towards_each_other_is_read_and_its_floor_leads():
    """Held-out batches 296, 301 and 302: a TensorFlow tutorial's train_step adds 0.15 x U(0, 1) to the real targets
    (0) and takes it from the fakes' (1); D's loss sat at 0.267, the least such targets allow (H(0.075) = 0.266 as a
    mean of D's terms: D cannot see the noise, its best answer is the targets' mean), while the samples stayed blank
    or blobs. The level read as moderate and the runs as healthy."""
    step = ("noise_real = 0.15*tf.random.uniform(tf.shape(yhat_real))\n"
            "noise_fake = -0.15*tf.random.uniform(tf.shape(yhat_fake))\n"
            "y_realfake += tf.concat([noise_real, noise_fake], axis=0)\n")
    assert _hints(step)["code_label_noise"][0] == 0.15
    assert "code_label_noise" not in _hints(step.replace("-0.15", "-0.1"))                  # widths that differ
    assert "code_label_noise" not in _hints(step.replace("y_realfake +=", "other ="))       # never added to the targets
    assert "code_label_noise" not in _hints(step.replace("tf.random.uniform", "tf.random.normal"))
    rng = np.random.default_rng(0)
    n = 40
    d = 0.2664 + np.abs(rng.normal(0, 0.002, n))
    df = _loss_frame(d, 2.7 + rng.normal(0, 0.05, n))
    df.attrs.update(code_label_noise=(0.15, "the notebook's code"), d_loss_reduction="mean", loss="nsgan")
    meta = infer_metadata(df)
    assert meta.noise_floor is not None and meta.noise_floor[1] == pytest.approx(0.2664, abs=1e-3)
    assert diagnose(df).summary["main_finding"].startswith("D's loss bottoms out at 0.266")
    # without the code's noise, or above the floor, no such fact
    df.attrs.pop("code_label_noise")
    assert infer_metadata(df).noise_floor is None
    above = _loss_frame(d + 0.2, 2.7 + rng.normal(0, 0.05, n))
    above.attrs.update(code_label_noise=(0.15, "the notebook's code"), d_loss_reduction="mean", loss="nsgan")
    assert infer_metadata(above).noise_floor is None
    # held-out batch 600/02: at the floor for 12 of 20 epochs, then above it as G began to fool D (varied garments): D
    # has not won at the end, so no floor is said; at the floor on its last rows too, it is
    left = _loss_frame(np.r_[d[:12], 0.31, 0.49, 0.41, 0.34, 0.34, 0.40, 0.45, 0.70], 2.7 + rng.normal(0, 0.05, 20))
    left.attrs.update(code_label_noise=(0.15, "the notebook's code"), d_loss_reduction="mean", loss="nsgan")
    assert infer_metadata(left).noise_floor is None
    left["d_loss"] = np.r_[0.34, 0.49, 0.41, 0.34, 0.34, 0.40, 0.45, 0.70, d[:12]]
    assert infer_metadata(left).noise_floor is not None


def _loss_frame(d, g):
    return pd.DataFrame({"step": np.arange(len(d)) * 469, "d_loss": d, "g_loss": g})


def test_a_statement_continued_by_a_backslash_is_one_line():
    """Held-out batch 309: CS231n's TensorFlow notebook writes 'D_loss = tf.reduce_mean(sce(.., logits_real)) + \\'
    and the fake term on the next line: D's sum was not read, and the reduction was guessed from the levels."""
    code = ("D_loss = tf.reduce_mean(sce(labels=tf.ones_like(logits_real), logits=logits_real)) + \\\n"
            "         tf.reduce_mean(sce(labels=tf.zeros_like(logits_fake), logits=logits_fake))\nprint(D_loss)\n")
    assert _hints(code)["code_d_loss_reduction"][0] == "sum"
    # read line by line, the first holds D's real term alone: no hint
    assert "code_d_loss_reduction" not in _hints(code.replace(" \\\n", "\n"))


def test_a_loss_a_session_evaluates_into_a_printed_name_is_the_steps_own_value():
    """Held-out batch 306: Udacity's SVHN DCGAN prints 'train_loss_d = net.d_loss.eval({..})' every 10 steps: one
    batch's loss. The code said nothing, and rows 0.2 % apart were guessed means over their interval."""
    code = ("d_loss = d_loss_real + d_loss_fake\nif steps % print_every == 0:\n"
            "    train_loss_d = net.d_loss.eval({net.input_z: batch_z, net.input_real: x})\n"
            "    print('Discriminator Loss: {:.4f}...'.format(train_loss_d))\n")
    assert _hints(code)["code_averaged"][0] is False
    assert "code_averaged" not in _hints(code.replace("net.d_loss.eval", "other.eval"))


def test_an_mse_named_for_the_adversarial_game_stays_lsgan_beside_a_composite_g_loss():
    """A stop-38 pix2pix notebook ('criterion_GAN = torch.nn.MSELoss()', 'loss_G = loss_GAN + lambda_pixel *
    loss_pixel'): once the print's names reached G's line (stop 44), its composite G dropped the MSE as an SRGAN's
    content term and the run lost its loss family. An MSE named for the game is the adversarial loss."""
    code = ("criterion_GAN = torch.nn.MSELoss()\ncriterion_pixel = torch.nn.L1Loss()\n"
            "loss_G = loss_GAN + lambda_pixel * loss_pixel\nloss_D = 0.5 * (loss_real + loss_fake)\n"
            "print(loss_D.item(), loss_G.item())\n")
    h = _hints(code)
    assert h["code_loss"][0] == "lsgan" and "g_loss_composite" in h
    assert "code_loss" not in _hints(code.replace("criterion_GAN", "criterion_content"))      # SRGAN's content MSE


CHOLLET_CODE = """discriminator.compile(optimizer=discriminator_optimizer, loss='binary_crossentropy')
for step in range(iterations):
    combined_images = np.concatenate([generated_images, real_images])
    labels = np.concatenate([np.ones((batch_size, 1)), np.zeros((batch_size, 1))])
    labels += 0.05 * np.random.random(labels.shape)
    d_loss = discriminator.train_on_batch(combined_images, labels)
    a_loss = gan.train_on_batch(random_latent_vectors, misleading_targets)
    if step % 100 == 0:
        print('discriminator loss at step %s: %s' % (step, d_loss))
        print('adversarial loss at step %s: %s' % (step, a_loss))
"""


def test_bce_against_targets_noised_above_one_stays_bce(tmp_path):
    """Held-out batches 327 and 332: Chollet's Keras GAN adds 0.05 x U(0, 1) to targets holding ones (the fakes',
    labels flipped), so a D that wins goes below 0 ('discriminator loss at step 500: -0.136') with G at Keras's
    clip (15.942385); read as a WGAN-GP critic from the negative D loss, then healthy beside blank samples."""
    rng = np.random.default_rng(327)
    d, g = -0.15 + 0.05 * rng.random(60), np.full(60, 15.942385)
    d[:3], g[:3] = [0.69, 0.5, 0.2], [0.7, 2.0, 6.0]
    log = "".join(f"discriminator loss at step {100 * k}: {d[k]:.7f}\nadversarial loss at step {100 * k}: {g[k]:.6f}\n"
                  for k in range(60))
    meta = infer_metadata(read_run(_notebook(tmp_path, CHOLLET_CODE, log, "chollet.ipynb")))
    assert meta.loss == "nsgan" and "targets above 1" in meta.assumption("loss").reason
    assert diagnose(read_run(tmp_path / "chollet.ipynb")).summary["main_finding"].startswith("d_dominant")
    # without the noise the code's BCE cannot explain a D loss below 0 on most rows: a critic, as before
    plain = CHOLLET_CODE.replace("    labels += 0.05 * np.random.random(labels.shape)\n", "")
    assert infer_metadata(read_run(_notebook(tmp_path, plain, log, "plain.ipynb"))).loss == "wgan-gp"
    assert code_hints([(1, CHOLLET_CODE)])["code_label_noise_beyond"][0] == 0.05
    assert "code_label_noise_beyond" not in code_hints([(1, CHOLLET_CODE.replace("np.ones", "np.zeros"))])


def test_a_print_that_labels_each_nets_loss_with_the_others_name_is_read_as_its_values_say(tmp_path):
    """Held-out batch 461/11: "print('loss d: {:.3f}, loss g: {:.3f}'.format(gen_loss_arr.mean(), dis_loss_arr.mean()))"
    printed G's mean loss as 'loss d' beside varied digits: read as D's, D 1.11 against G 0.48 read g_dominant. The
    values go where their names say, with a warning; a print whose names agree with its labels, and a user's
    --columns, are left as they are."""
    from ganalyze.runlog.formats.code_hints import swapped_print_hint

    rng = np.random.default_rng(461)
    d, g = rng.uniform(0.4, 0.6, 40), rng.uniform(0.9, 1.3, 40)
    log = "".join(f"loss d: {g[k]:.3f}, loss g: {d[k]:.3f}\n" for k in range(40))
    code = ("for epoch in range(40):\n    gen_loss_arr, dis_loss_arr = train_epoch()\n"
            "    print('loss d: {:.3f}, loss g: {:.3f}'.format(gen_loss_arr.mean(), dis_loss_arr.mean()))\n")
    with pytest.warns(UserWarning, match="read 'loss d' as G's loss"):
        df = read_run(_notebook(tmp_path, code, log))
    assert df.d_loss.to_numpy() == pytest.approx(d, abs=1e-3) and df.g_loss.to_numpy() == pytest.approx(g, abs=1e-3)
    agreeing = code.replace("gen_loss_arr.mean(), dis_loss_arr.mean()", "dis_loss_arr.mean(), gen_loss_arr.mean()")
    df = read_run(_notebook(tmp_path, agreeing, log, "agree.ipynb"))
    assert df.d_loss.to_numpy() == pytest.approx(g, abs=1e-3)
    df = read_run(_notebook(tmp_path, code, log, "user.ipynb"), columns={"d_loss": "loss d", "g_loss": "loss g"})
    assert df.d_loss.to_numpy() == pytest.approx(g, abs=1e-3)
    assert swapped_print_hint([(3, "print('[%d/%d] Loss_D: %.4f Loss_G: %.4f' % (e, n, errG.item(), errD.item()))")])
    assert swapped_print_hint([(3, "print(f'Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f}')")]) is None


def test_a_bare_print_names_its_losses_with_a_prefix_the_readers_strip(tmp_path):
    """Held-out batch 452/10: "print(epoch, average_d_loss, average_g_loss)" printed '0 0.486925081597 2.86649780902':
    refused (no name was D's or G's loss, so the print named nothing); 'average_' is a prefix the readers strip."""
    cols = bare_print_columns([(5, "        print(epoch, average_d_loss, average_g_loss)")])
    assert cols and cols[0][0] == {"epoch": "1", "d_loss": "2", "g_loss": "3"}
    rng = np.random.default_rng(452)
    d, g = rng.uniform(0.2, 0.6, 30), rng.uniform(2.0, 4.0, 30)
    code = "for epoch in range(30):\n    average_d_loss = 0\n    print(epoch, average_d_loss, average_g_loss)\n"
    df = read_run(_notebook(tmp_path, code, "".join(f"{e} {d[e]} {g[e]}\n" for e in range(30))))
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)
    # held-out batch 554/08: totals over their count, G's first: "print(epoch, total_g_loss / batch_size,
    # total_d_loss / batch_size)" was refused, its --columns hint naming D first
    code = "for epoch in range(30):\n    print(epoch, total_g_loss / batch_size, total_d_loss / len(data))\n"
    assert bare_print_columns([(1, code)])[0][0] == {"epoch": "1", "g_loss": "2", "d_loss": "3"}
    df = read_run(_notebook(tmp_path, code, "".join(f"{e} {g[e]} {d[e]}\n" for e in range(30))))
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_a_bare_print_of_the_means_of_lists_names_its_numbers(tmp_path):
    """Held-out batch 699/03: "print(epoch, np.mean(d_losses), np.mean(g_losses))" printed '199 0.9720731980645415
    1.2901220132090876' between tqdm bars: refused, "rows of bare numbers name no column"."""
    code = "for epoch in range(30):\n    d_losses, g_losses = [], []\n    print(epoch, np.mean(d_losses), np.mean(g_losses))\n"
    assert bare_print_columns([(1, code)])[0][0] == {"epoch": "1", "d_loss": "2", "g_loss": "3"}
    rng = np.random.default_rng(699)
    d, g = rng.uniform(0.2, 0.9, 30), rng.uniform(1.2, 3.0, 30)
    df = read_run(_notebook(tmp_path, code, "".join(f"{e} {d[e]} {g[e]}\n" for e in range(30))))
    assert df.d_loss.to_numpy() == pytest.approx(d) and df.g_loss.to_numpy() == pytest.approx(g)


def test_gradients_never_zeroed_lead_a_log_of_too_few_rows(tmp_path):
    """Held-out batch 424/05: one row printed by code that never zeroes G's optimiser. A level read from so few rows
    follows the abstention; what the code does is read from no row, and still leads."""
    log = "Epoch [    1/   30] | d_loss: 0.0090 | g_loss: 5.2400\n"
    main = diagnose(read_run(_notebook(tmp_path, UDACITY_TRAIN, log))).summary["main_finding"]
    assert main.startswith("The notebook's code steps d_optimizer") and "; beyond that, too few rows to judge" in main
    assert "what its rows show: D's loss is about 0" in main


def test_a_loss_given_requires_grad_by_hand_is_found_and_leads(tmp_path):
    """Held-out batch 510/04: 'disc_loss.requires_grad = True; disc_loss.backward()' (and the same for G's loss), the
    usual answer to 'element 0 of tensors does not require grad': PyTorch lets the attribute be set only on a tensor
    no computation made, so neither loss reached a weight; D sat at 1.38 and G at 0.81 beside noise and read healthy."""
    code = UDACITY_TRAIN.replace("        d_loss.backward()\n", "        d_loss.requires_grad = True\n        d_loss.backward()\n")
    role, why = code_hints([(1, code)])["code_detached_loss"]
    assert role == "D" and "`d_loss.requires_grad = True`" in why
    both = code.replace("        g_loss.backward()\n", "        g_loss.requires_grad = True\n        g_loss.backward()\n")
    assert code_hints([(1, both)])["code_detached_loss"][0] == "D and G"
    for fine in (UDACITY_TRAIN,
                 UDACITY_TRAIN.replace("d_loss.backward()", "d_loss.requires_grad_(True)\n        d_loss.backward()"),
                 UDACITY_TRAIN + "for p in D.parameters():\n    p.requires_grad = True\n",      # unfreezing a net
                 UDACITY_TRAIN + "interpolates.requires_grad = True\n",                     # WGAN-GP's leaf input
                 UDACITY_TRAIN + "dummy_loss.requires_grad = True\n"):                      # never back-propagated
        assert "code_detached_loss" not in code_hints([(1, fine)]), fine
    res = _diagnosed_flat_run(tmp_path, both, 1.38, 0.81, seed=510)
    assert res.summary["main_finding"].startswith("The notebook's code sets requires_grad on its loss by hand")
    assert any("remove the requires_grad line" in a for a in res.summary["advice"])


KERAS_EPOCHS = """for epoch in range(100):
    for index in range(int(X_train.shape[0]/BATCH_SIZE)):
        d_loss = d.train_on_batch(X, y)
        g_loss = d_on_g.train_on_batch(noise, [1] * BATCH_SIZE)
    if(epoch%10 == 0):
        print("ep %d d_loss : %f" % (epoch, d_loss))
        print("ep %d g_loss : %f" % (epoch, g_loss))
"""


def test_an_epoch_printed_every_n_over_a_loop_of_batches_is_a_pass_over_the_data(tmp_path):
    """Held-out batch 509/02: 'for epoch in range(100): for index in range(n_batches): ..' then 'if(epoch%10 == 0):
    print("ep %d d_loss : %f" ..)': its 'ep 0, 10, .., 90' were read as iterations 0-90 (Keras-style scripts call an
    iteration an epoch), all warm-up: "too short to judge beyond warm-up". The code says each epoch is a pass over
    the data, so each is read as 100 iterations and the rows stand 1,000 apart."""
    n, why = code_hints([(3, KERAS_EPOCHS)])["code_true_epochs"]
    assert n == 10 and "`for epoch in range(100):`" in why and "X_train.shape[0]/BATCH_SIZE" in why
    for keras_style in (KERAS_EPOCHS.replace("    for index in range(int(X_train.shape[0]/BATCH_SIZE)):\n", "    if True:\n"),
                        KERAS_EPOCHS.replace("range(int(X_train.shape[0]/BATCH_SIZE))", "range(n_critic)")):
        assert "code_true_epochs" not in code_hints([(3, keras_style)]), keras_style
    rng = np.random.default_rng(509)
    log = "".join(f"ep {e} d_loss : {rng.uniform(0.2, 0.4):f}\nep {e} g_loss : {rng.uniform(1.5, 2.1):f}\n"
                  for e in range(0, 100, 10))
    res = diagnose(read_run(_notebook(tmp_path, KERAS_EPOCHS, log)))
    main = res.summary["main_finding"]
    assert "its steps are epochs printed every 10" in main and "too short to judge" not in main, main
    assert res.assumptions["log_every"] == 1000 and res.assumptions["method"] == "rules"
    # held-out batches 550/01 and 553/03: a named interval ("print_every = 5"), a first print before it ("epoch == 1
    # or"), a print in a function the epoch's block calls ("visualize_training(epoch, d_losses, g_losses)")
    named = KERAS_EPOCHS.replace("if(epoch%10 == 0):", "if (epoch % print_every) == 0:")
    assert code_hints([(2, "print_every = 5\n"), (3, named)])["code_true_epochs"][0] == 5
    assert "code_true_epochs" not in code_hints([(3, named)])              # an interval the code never gives
    first = KERAS_EPOCHS.replace("if(epoch%10 == 0):", "if epoch == 1 or epoch % 5 == 0:")
    assert code_hints([(3, first)])["code_true_epochs"][0] == 5
    called = ("def show(epoch, d_losses, g_losses):\n    plt.plot(d_losses)\n"
              "    print('epoch: {}, D Loss: {}'.format(epoch, np.mean(d_losses)))\n")
    in_a_function = KERAS_EPOCHS.replace(
        '        print("ep %d d_loss : %f" % (epoch, d_loss))\n        print("ep %d g_loss : %f" % (epoch, g_loss))\n',
        "        show(epoch, d_losses, g_losses)\n")
    assert code_hints([(2, called), (3, in_a_function)])["code_true_epochs"][0] == 10
    assert "code_true_epochs" not in code_hints([(2, called.replace("print(", "log(")), (3, in_a_function)])
    # held-out batch 560/06c: the counter named 'step', its loop over the epochs
    stepped = KERAS_EPOCHS.replace("for epoch in range(100):", "for step in range(int(epoch/2)):").replace(
        "if(epoch%10 == 0):", "if step%10==0:")
    assert code_hints([(3, stepped)])["code_true_epochs"][0] == 10
    steps_only = stepped.replace("range(int(epoch/2))", "range(n_steps)")
    assert "code_true_epochs" not in code_hints([(3, steps_only)])
    # a print every epoch is one row per epoch, as without the code
    from ganalyze.diagnose.core import TRUE_EPOCHS, _epochs_hint
    assert "one row each, 50 in all" in _epochs_hint(TRUE_EPOCHS, np.arange(50))


def test_each_run_of_a_notebook_takes_its_own_loop_s_print_interval(tmp_path):
    """Held-out batch 531/01: six runs, each its own 'for epoch in range(..): for real, _ in loader: ..' printing
    'if (epoch+1)%25==0:' or '%5': the notebook as a whole gave no one interval, so no run's epochs were read as
    passes over the data (25 true epochs read as 25 iterations). Each run takes its own loop's; a run whose own
    code prints every epoch takes none from another run's."""
    rng = np.random.default_rng(531)

    def cell(every, epochs):
        code = (f"for epoch in range({epochs}):\n    for real, _ in loader:\n        d_loss = step_d(real)\n"
                f"        g_loss = step_g()\n" + (f"    if (epoch+1)%{every}==0:\n    " if every else "")
                + f"    print(f\"Epoch {{epoch+1}}/{epochs} D:{{d_loss:.3f}} G:{{g_loss:.3f}}\")\n")
        log = "".join(f"Epoch {e}/{epochs} D:{rng.uniform(1.2, 1.4):.3f} G:{rng.uniform(0.7, 0.9):.3f}\n"
                      for e in range(every or 1, epochs + 1, every or 1))
        return {"cell_type": "code", "source": code.splitlines(keepends=True), "metadata": {}, "execution_count": 1,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": log}]}

    nb = {"cells": [cell(25, 300), cell(5, 60), cell(None, 12)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    p = tmp_path / "runs.ipynb"
    p.write_text(json.dumps(nb))
    runs = read_runs(p)
    assert [len(df) for df in runs.values()] == [12, 12, 12]
    every = [df.attrs.get("code_true_epochs", (None,))[0] for df in runs.values()]
    assert every == [25, 5, None]


def test_labels_no_alias_covers_are_named_by_the_values_the_code_prints_under_them(tmp_path):
    """Held-out batches 535/09 and 538/01: "print('>%d, d1=%.3f, d2=%.3f' %(epoch+1, d_loss, g_loss))" printed
    '>1, d1=0.694, d2=0.793' (machinelearningmastery's labels for D's two halves, here D's loss and G's): refused.
    The print's own values name its labels, in %-formatting, str.format and f-strings alike; a label that already
    names a column, or values that name no loss, name nothing."""
    def cols(src):
        return [c for c, _ in labelled_print_columns([(1, src)])]

    assert cols("print('>%d, d1=%.3f, d2=%.3f' %(epoch+1, d_loss, g_loss))") == [{"d_loss": "d1", "g_loss": "d2"}]
    assert cols('print(f"Ep {e} L1: {d_loss.item():.3f} L2: {g_loss.item():.3f}")') == [{"d_loss": "L1", "g_loss": "L2"}]
    assert cols("print('it {} a={:.3f} b={:.3f}'.format(i, float(d_loss), g_loss))") == [{"d_loss": "a", "g_loss": "b"}]
    assert cols("print('D: %.3f G: %.3f' % (d_loss, g_loss))") == []              # the labels read already
    assert cols("print('a=%.3f b=%.3f' % (acc, lr))") == []
    # the print's own keywords are not the format's operand: its closing bracket is matched, not every ')' stripped
    assert _print_fields("print('it %d' % i, end='')") == [("it", "i")]
    assert _print_fields("print('d1={:.3f}'.format(d_loss.item()), file=f)") == [("d1", "d_loss.item()")]
    rng = np.random.default_rng(535)
    v = rng.uniform(0.05, 6.5, size=(30, 2)).round(3)
    code = ("for epoch in range(30):\n    d_loss = d.train_on_batch(x, y)\n    g_loss = gan.train_on_batch(z, y1)\n"
            "    print('>%d, d1=%.3f, d2=%.3f' %(epoch+1, d_loss, g_loss))\n")
    df = read_run(_notebook(tmp_path, code, "".join(f">{k + 1}, d1={a:.3f}, d2={b:.3f}\n" for k, (a, b) in enumerate(v))))
    assert df.d_loss.to_numpy() == pytest.approx(v[:, 0]) and df.g_loss.to_numpy() == pytest.approx(v[:, 1])
    assert "print('>%d, d1=%.3f, d2=%.3f'" in df.attrs["guessed"]["columns"]


SUMMED_EPOCH = """for epoch in range(num_epochs):
    loss_G = []
    loss_D = []
    for (x, y) in trainDataloader:
        lossD = lossD_real + lossD_fake
        loss_D.append(lossD.item())
        lossG = criterion(output_fake, real_labels)
        loss_G.append(lossG.item())
    print(f'[{epoch+1}/{num_epochs}] LossD: {sum(loss_D)} LossG:{sum(loss_G)}')
"""


def test_a_print_of_the_sum_of_the_steps_d_losses_is_an_epoch_total_not_a_saturated_d(tmp_path):
    """Held-out batches 533/00 and 533/03 (a stock-price GAN): 'print(f'.. LossD: {sum(loss_D)} ..')' of 17 batches'
    losses at equilibrium printed D at 23.5, read as "one of its terms is -log of a D output near 0". The code says each
    row is a total over the epoch's steps; a sum over a count is a mean, and no fact."""
    role, why = code_hints([(12, SUMMED_EPOCH)])["code_summed_rows"]
    assert role == "D" and "sum(loss_D)" in why and "loss_D.append(lossD.item())" in why
    assert code_hints([(12, SUMMED_EPOCH)])["code_averaged"][0] is True
    for mean in (SUMMED_EPOCH.replace("{sum(loss_D)}", "{sum(loss_D) / len(loss_D)}"),
                 SUMMED_EPOCH.replace("{sum(loss_D)}", "{np.mean(loss_D)}")):
        assert "code_summed_rows" not in code_hints([(12, mean)]), mean
    rng = np.random.default_rng(533)
    log = "".join(f"[{e + 1}/165] LossD: {17 * (1.386 + 0.02 * rng.normal())} LossG:{17 * (0.70 + 0.02 * rng.normal())}\n"
                  for e in range(165))
    main = diagnose(read_run(_notebook(tmp_path, SUMMED_EPOCH, log))).summary["main_finding"]
    assert "each row is a total over its steps" in main and "-log of a D output near 0" not in main, main


def test_a_course_check_of_d_loss_against_its_reference_is_no_print_of_the_loss():
    """Held-out batch 582 (EECS 498, five notebooks): 'print("Maximum error in d_loss: %g" % rel_error(d_loss_true,
    d_loss))', the assignment's check of the student's function, was quoted as the print showing each step's own D
    loss; beside an epoch's mean printed by the training loop the two disagreed and the code said nothing."""
    check = ("d_loss = discriminator_loss(logits_real, logits_fake)\n"
             "print('Maximum error in d_loss: %g' % rel_error(d_loss_true, d_loss))\n")
    assert code_hints([(1, check)]).get("code_averaged") is None
    loop = ("for epoch in range(10):\n    epoch_d_loss = 0\n    for x in loader:\n"
            "        d_loss = discriminator_loss(D(x), D(G(z)))\n        epoch_d_loss += d_loss.item()\n"
            "    print(epoch, epoch_d_loss / len(loader))\n")
    value, why = code_hints([(1, check), (2, loop)])["code_averaged"]
    assert value is True and "epoch_d_loss / len(loader)" in why


def test_a_bare_print_of_tensors_data_names_its_numbers(tmp_path):
    """Held-out batch 588/08: 'print(g_error.data, d_error.data, steps)' printed rows such as "tensor(1.4297,
    device='cuda:0') tensor(0.9244, device='cuda:0') 14636": refused, the names read as 'data', and the refusal offered
    the first number as D's loss. PyTorch 0.3's '.data' and '.data[0]' are the tensor's value: G's loss first here."""
    code = "for steps in range(20000):\n    if steps % 100 == 0:\n        print(g_error.data, d_error.data, steps)\n"
    rng = np.random.default_rng(588)
    v = rng.uniform(0.5, 2.0, size=(40, 2)).round(4)
    log = "".join(f"tensor({g:.4f}, device='cuda:0') tensor({d:.4f}, device='cuda:0') {100 * k}\n"
                  for k, (g, d) in enumerate(v))
    df = read_run(_notebook(tmp_path, code, log))
    assert df.step.tolist() == list(range(0, 4000, 100))
    assert df.g_loss.to_numpy() == pytest.approx(v[:, 0]) and df.d_loss.to_numpy() == pytest.approx(v[:, 1])
    assert bare_print_columns([(1, "print(d_error.data[0], g_error.data[0])")])[0][0] == {"d_loss": "1", "g_loss": "2"}


def test_a_keras_combined_model_compiled_with_weighted_content_and_adversarial_losses_is_composite():
    """Held-out batch 608/01: a Keras SRGAN compiles its combined model 'loss=['binary_crossentropy',
    'mean_squared_error'], loss_weights=[1e-3, 1]' and prints G's train_on_batch total, mostly the MSE: D's loss near
    0 beside G's near 0 was read as the two contradicting each other. A model trained with one loss, or with weights
    on two adversarial losses, is no composite."""
    compile_ = ("combined_model.compile(optimizer=Adam(learning_rate=1e-4),\n"
                "                       loss=['binary_crossentropy', 'mean_squared_error'],\n"
                "                       loss_weights=[1e-3, 1])\n")
    train = ("g_loss = combined_model.train_on_batch(low_res_batch, [real_labels, high_res_batch])\n"
             "print(f'Epoch: {epoch}, D Loss Real: {d_loss_real:.4f}, G Loss: {g_loss[0]:.4f}')\n")
    hint = _hints(compile_, train)["g_loss_composite"]
    assert "loss_weights=[1e-3, 1]" in hint and "combined_model.compile" in hint
    assert "g_loss_composite" not in _hints("combined_model.compile(optimizer='adam', loss='binary_crossentropy')\n", train)
    assert "g_loss_composite" not in _hints(compile_.replace("mean_squared_error", "binary_crossentropy"), train)
    other = train.replace("combined_model.train", "other_model.train")
    assert "g_loss_composite" not in _hints(compile_, "other_model.compile(loss='binary_crossentropy')\n", other)
    # held-out batch 614/08: the combined model built and compiled in a function, "gan = define_gan(..)": the one
    # weighted compile of the notebook is its
    built = ("def define_gan(g_model, d_model):\n"
             "    model.compile(loss=['binary_crossentropy', 'mse'], optimizer=opt, loss_weights=[1,100])\n"
             "    return model\n")
    hint = _hints(built, other)["g_loss_composite"]
    assert "loss_weights=[1,100]" in hint
    # held-out batch 630/00: G's loss unpacked from the model's outputs, "g_loss, _, _ = gan_model.train_on_batch(..)"
    unpacked = ("g_loss, _, _ = gan_model.train_on_batch(X_realA, [y_real, X_realB])\n"
                "print(f'Epoch {i+1}: d1[{d_loss1}], d2[{d_loss2}], g[{g_loss}]')\n")
    assert "loss_weights=[1,100]" in _hints(built, unpacked)["g_loss_composite"]
