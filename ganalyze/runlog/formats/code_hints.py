"""What a notebook's own code says about its losses, where its printed numbers cannot tell.

A notebook holds the code that printed its log. Things the diagnosis otherwise guesses from levels
are often plain in that code (and two it cannot guess: how many iterations apart the prints are,
``print_every_hint``, and whether D's real labels are smoothed, ``label_smoothing_hint``):

- the **loss family**: ``nn.BCELoss()`` / ``binary_crossentropy`` (BCE), ``nn.MSELoss()`` / ``'mse'``
  (least squares), ``relu(1.0 - ..)`` (hinge), a gradient penalty or weight clipping (a Wasserstein
  critic), an EBGAN or BEGAN class (families the diagnosis does not model);
- **sum or mean** of D's two terms: ``errD = errD_real + errD_fake`` (a sum), ``0.5 * np.add(d_loss_real,
  d_loss_fake)`` or ``(real + fake) / 2`` (a mean);
- whether the printed D loss is **one step's or a mean over steps**: ``print(.., d_loss.item())``, or an
  accumulator, a list's mean, a Keras metric printed;
- a **G loss holding other terms**: ``g_loss = adversarial + 100 * l1`` (pix2pix), ``mse + 0.006 * vgg +
  0.001 * adversarial`` (SRGAN): its level says nothing of the adversarial game.

Each hint is a guess from pattern matching, not from running the code, and is kept only when every
match in the notebook agrees (a notebook training a BCE GAN and then a WGAN gives no family hint; one
that sums D's terms in one cell and averages them in another gives no reduction hint). Comments are
left out; strings are not (a ``'mse'`` in Keras' ``compile`` is code). The diagnosis uses a hint only
where the numbers show nothing decisive (``ganalyze.diagnose.metadata``), and says it came from the
code. Every hint quotes the line it came from, with its cell number.
"""
from __future__ import annotations

import re

# ---- loss family: one pattern per family (calls, not imports: "from torch.nn import BCELoss" is no use)
# least squares' target: 1, a tensor of ones ("torch.ones_like(scores_real).type(dtype)", "torch.ones(N)") or
# labels named so ("true_labels", "valid"), not a content target (an image)
_LS_TARGET = (r"(?:1(?:\.0*)?|(?:torch|tf|np)\.ones(?:_like)?\((?:[^()]|\([^()]*\))*\)(?:\.(?:type|to|cuda|float)"
              r"\((?:[^()]|\([^()]*\))*\))*|(?:true|real|target)_?(?:labels?|targets?|ones)\b|valid\b|\w*_ones\b|"
              r"(?:true|ones)\b)")
_NOT_GP = r"(?![\w.]*(?:grad|norm|slope|penalty|gp))"
_FAMILIES = (
    ("nsgan", re.compile(r"\b(?:BCELoss|BCEWithLogitsLoss|binary_cross_entropy(?:_with_logits)?|BinaryCrossentropy|"
                         r"sigmoid_cross_entropy(?:_with_logits)?|softplus)\s*\(|['\"]binary_crossentropy['\"]|"
                         # the alias cs231n and EECS 498 call it by: "from torch.nn.functional import
                         # binary_cross_entropy_with_logits as bce_loss" then "bce_loss(logits_real, true_labels)"
                         r"\bbce_?loss\s*\(|"
                         r"\blog\(\s*1(?:\.0*)?\s*-|-\s*(?:torch|tf|np|K|tf\.math)\.log\(|"
                         # a numerically stable BCE written out (cs231n): "(1 + neg_abs.exp()).log()", "log1p(exp(..))"
                         r"\(\s*1\s*\+\s*[\w.]+\.exp\(\)\s*\)\.log\(\)|\blog1p\(\s*(?:torch\.|tf\.|np\.)?exp\(")),
    ("lsgan", re.compile(r"\b(?:MSELoss|mse_loss|mean_squared_error|MeanSquaredError)\s*\(|"
                         r"loss\s*=\s*['\"](?:mse|mean_squared_error)['\"]")),
    # least squares written out: "0.5 * torch.mean((scores_real - 1) ** 2)", "tf.reduce_mean(tf.square(d_fake - 1))"
    # (an adversarial term by its target, 1 or a tensor of ones or labels, not a content MSE; a gradient penalty's
    # "(norm(..) - 1) ** 2" has a call)
    ("lsgan-written", re.compile(r"\(\s*" + _NOT_GP + r"[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*-\s*" + _LS_TARGET
                                 + r"\s*\)\s*\*\*\s*2\b|\b(?:torch|tf|np|tf\.math)\.square\(\s*" + _NOT_GP
                                 + r"[A-Za-z_][\w.]*\s*-\s*" + _LS_TARGET + r"\s*\)|"
                                 r"\b(?:torch|tf|np|tf\.math)\.pow\(\s*" + _NOT_GP + r"[A-Za-z_][\w.]*"
                                 r"\s*-\s*" + _LS_TARGET + r"\s*,\s*2(?:\.0*)?\s*\)|"
                                 # PyTorch's chained methods: "scores_real.sub(1).pow(2).mean()", "(scores_real - 1).pow(2)"
                                 r"\.sub\(\s*1(?:\.0*)?\s*\)\s*\.pow\(\s*2(?:\.0*)?\s*\)|"
                                 r"\(\s*" + _NOT_GP + r"[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*-\s*" + _LS_TARGET
                                 + r"\s*\)\s*\.pow\(\s*2(?:\.0*)?\s*\)|"
                                 # the target first: "torch.mean((1 - D_out.squeeze())**2)" (a Udacity face notebook)
                                 r"\(\s*" + _LS_TARGET + r"\s*-\s*" + _NOT_GP + r"[A-Za-z_][\w.]*(?:\(\)|\[[^\]]*\])?\s*\)\s*"
                                 r"(?:\*\*\s*2\b|\.pow\(\s*2(?:\.0*)?\s*\))|"
                                 # TensorFlow's calls: "tf.square(tf.subtract(score_real, 1))"
                                 r"\b(?:tf|tf\.math)\.square\(\s*(?:tf|tf\.math)\.subtract\(\s*" + _NOT_GP
                                 + r"[A-Za-z_][\w.]*\s*,\s*" + _LS_TARGET + r"\s*\)\s*\)")),
    ("hinge", re.compile(r"\b(?:relu\(|ReLU\(\)\(|maximum\(\s*0\.?0*\s*,)\s*1(?:\.0*)?\s*[-+]|"
                         r"\bclamp\(\s*1(?:\.0*)?\s*[-+][^)]*min\s*=\s*0|\bhinge\w*\s*\(|['\"]hinge['\"]")),
    ("wgan-gp", re.compile(r"\b(?:gradient_penalty|grad_penalty|calc_gradient_penalty|compute_gradient_penalty|"
                           r"lambda_gp|LAMBDA_GP|lambda_GP|gp_weight|gp_lambda|wasserstein_loss|ClipConstraint|"
                           r"clip_weights|weight_clip\w*)\b|\bGANLearner\.wgan\(|\.clamp_\(\s*-\s*[\d.]+|"
                           # weight clipping by a named bound: "p.data.clamp_(-clip_value, clip_value)" (held-out 527/05)
                           r"\.clamp_\(\s*-\s*(?:[A-Za-z_]\w*\.)?\w*clip\w*\s*,|"
                           r"\bclip_by_value\(\s*[\w.]+\s*,\s*-\s*0?\.0\d*\s*,\s*0?\.0\d*\s*\)")),
    ("other", re.compile(r"\bclass\s+\w*(?:EBGAN|BEGAN)\w*\b|\b(?:ebgan|began)_loss\b|\bpullaway\w*\s*\(|"
                         r"\b(?:relu|clamp)\(\s*(?:m|margin|self\.margin)\s*-|\bk_t\s*=|"
                         # TensorFlow's hinge on the margin, "tf.maximum(0, margin - MSE_loss(recon_fake, ..))" (593/02)
                         r"\bmaximum\(\s*0(?:\.0*)?\s*,\s*(?:m|margin|self\.margin)\s*-|"
                         r"\b(?:m|margin|self\.margin)\s*-\s*\w*(?:energy|fake)\w*")),
)
_FAMILIES_BY_NAME = dict(_FAMILIES)
_FAMILY_WORDS = {"nsgan": "binary cross-entropy (nsgan: the non-saturating G loss, the common case)",
                 "lsgan": "least squares (LSGAN)", "hinge": "a hinge loss",
                 "wgan-gp": "a Wasserstein critic (gradient penalty or weight clipping)",
                 "other": "an energy-based or boundary-equilibrium GAN (EBGAN / BEGAN), which ganalyze does not model"}
# MSE beside BCE is a content or reconstruction term (SRGAN), not LSGAN: the adversarial family is BCE
_MSE_AS_CONTENT = ("nsgan", "lsgan")
# (an EBGAN's margin "m - energy_fake" beside MSE: the MSE is its autoencoder's energy)

# ---- assignments to D's and G's losses
_D_TARGET = re.compile(r"^\s*(\w*(?:\b[dD]|disc|Disc|dis|Dis|critic|Critic)\w*(?:loss|Loss|LOSS|err|Err|cost)\w*|"
                       r"errD\w*|err(?:or)?_?D\b\w*|loss_?[dD]\b\w*|lossD\w*|net_?D_?(?:loss|Loss)\w*)\s*=(?!=)\s*(.+)$")
_G_TARGET = re.compile(r"^\s*(\w*(?:\b[gG]|gen|Gen)\w*(?:loss|Loss|LOSS|err|Err|cost)\w*|"
                       r"errG\w*|err(?:or)?_?G\b\w*|loss_?[gG]\b\w*|lossG\w*|net_?G_?(?:loss|Loss)\w*)\s*=(?!=)\s*(.+)$")
# (the fake term also named for G's output or its noise: "loss_D_real + loss_D_gene", "err_real + err_noise")
_REAL_FAKE = re.compile(r"(?i)real.*(?:fake|gen|noise)|(?:fake|gen|noise).*real")
# D's two terms numbered (cs231n's TensorFlow "D_loss = D_loss1 + D_loss2", its real term first)
_NUMBERED_TERMS = re.compile(r"\b(\w+?)_?1\s*\+\s*\1_?2\b")
_MEAN_OF_TWO = re.compile(r"0?\.5\s*(?:\)\s*)?\*|\b1(?:\.0*)?\s*/\s*2(?:\.0*)?\s*\)\s*\*|\*\s*0?\.5\b|/\s*2(?:\.0*)?\b|\bnp\.mean\(\s*\[|\breduce_mean\(\s*\[|"
                          r"\bmean\(\s*\[|\bmean\(\s*(?:torch|tf)\.stack|"
                          r"\b(?:torch|tf|np|tf\.math)\.(?:div|divide|true_divide|truediv)\(.*,\s*2(?:\.0*)?\s*\)")
_SUM_OF_TWO = re.compile(r"(?i)\w*(?:real|fake|gen|noise)\w*(?:\([^()]*\))?(?:\.\w+\(\))?\s*\+\s*\w*(?:real|fake|gen|noise)|\b(?:np|tf|torch|tf\.math)\.add\(|"
                         r"\)\s*\+\s*[\w.]+\(")
# a weighted non-adversarial term in G's loss: "100 * l1", "lambda_L1 * ..", "content_loss", "vgg", "cycle" (matched
# inside code identifiers, so not schema.G_CONTENT_TERMS: its "l2", "tv", "kl", "cat" stems would hit Keras'
# regularizers.l2 and names like "concatenate"; "mse" here is a content term weighted beside the adversarial one)
_OTHER_TERM = re.compile(r"(?i)\b\w*(?:l1|content|percept|vgg|image_loss|img_loss|recon|reconstruction|cycle|pixel|identity|idt|mse|"
                         r"feature_match\w*|tv_loss|rec_loss|cls|class\w*|aux\w*|info\w*)\w*\b")
# (a weight named for its term first: pix2pix notebooks' "L1_lambda * L1_loss")
_WEIGHTED = re.compile(r"(?i)\b(?:self\.)?(?:\w+_lambda\w*|lambda\w*|lam\w*|alpha|beta|weight\w*|\d+(?:\.\d+)?(?:e-?\d+)?)\s*\)?\s*\*|"
                       r"\*\s*(?:\w+_lambda\w*|lambda\w*|lam\w*|\d+(?:\.\d+)?(?:e-?\d+)?)\b")
# on the family's own line: "0.5 * torch.mean((d_real - 1) ** 2)", ".. * .5", "1/2 * (..) ** 2" (or "1./2*", held-out
# batch 339), "...pow(2).mean()/2"; in brackets, "(0.5)*(..)", "(1/2)*torch.mean(..)" (held-out batch 582/04)
_HALF_SQUARE = re.compile(r"\b0?\.5\s*(?:\)\s*)?\*|(?<!\*)\*\s*0?\.5\b|\b1(?:\.0*)?\s*/\s*2(?:\.0*)?\s*(?:\)\s*)?\*|\)\s*/\s*2(?:\.0*)?\b|"
                          # "1/(2 * N) * torch.sum(..)", ".. / (2 * batch_size)": half of a mean (EECS 498's LSGAN)
                          r"/\s*\(\s*2(?:\.0*)?\s*\*\s*[\w.]+\s*\)|"
                          r"\b(?:tf|tf\.math)\.multiply\(\s*0?\.5\s*,")
_HALF_WEIGHT = re.compile(r"loss_weights\s*=\s*\[\s*0?\.5\s*\]")
_ASSIGN = re.compile(r"^\s*(\w+)\s*=(?!=)\s*(.+)$")
# a loss criterion named for the adversarial game ("criterion_GAN = torch.nn.MSELoss()", "adversarial_loss = ..")
_ADVERSARIAL_CRITERION = re.compile(r"^\s*(?:self\.)?\w*(?:GAN|gan|[Aa]dv(?:ersarial)?)\w*\s*=")
_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")
_D_FUNCTION = re.compile(r"(?i)^(?:(?:ls|lsgan|wgan|hinge|bce|gan)_)?(?:d|disc|discriminator|dis|critic)_?loss|^loss_?(?:d|disc|discriminator|dis|critic)$|"
                         r"^(?:discriminator|disc|critic)_(?:loss|criterion)")
# a function that trains D a step and returns its loss ("def train_discriminator(opt, real): .. loss = real_loss +
# fake_loss; loss.backward(); .. return loss.item()", the Jovian / freeCodeCamp GAN course's): its sum counts where
# the function returns it
_D_TRAIN_FUNCTION = re.compile(r"(?i)^(?:train|update|step)_?(?:d|disc|discriminator|dis|critic)(?:_?step)?$|"
                               r"^(?:d|disc|discriminator|dis|critic)_?(?:train|update)(?:_?step)?$")
_RETURN = re.compile(r"^\s*return\s+(.+)$")
# a function that computes G's loss ("def ls_generator_loss(scores_fake): loss = torch.mean((scores_fake - 1).pow(2)) / 2")
_G_FUNCTION = re.compile(r"(?i)^(?:(?:ls|lsgan|wgan|hinge|bce|gan)_)?(?:g|gen|generator)_?loss|^loss_?(?:g|gen|generator)$")
_ADVERSARIAL = re.compile(r"(?i)\b\w*(?:adv|adversarial|gan)\w*\b")
# where a value reaches the log: a print (or a tqdm postfix, a file write, a list of losses, TensorBoard), an
# f-string's "{d_loss.item():.4f}" on a print's continuation line, or Keras' "self.d_loss_metric.update_state(d_loss)"
# and train_step's "return {"d_loss": d_loss}"
# a print proper (not a list's append): also what "if i % every == 0:" must hold to be a print interval
_PRINT_CALL = re.compile(r"\bprint\s*\(|set_postfix|set_description|\.write\(|\b(?:logging|logger|wandb)\.\w+\(|"
                         r"\bself\.log(?:_dict)?\(|\blog_\w+\(|add_scalar|^\s*f?['\"].*\{\s*\w")
_PRINTED = re.compile(_PRINT_CALL.pattern + r"|\.append\(|update_state\(|^\s*return\s*\{")
_COMMENT = re.compile(r"(?m)#[^\n'\"]*$")
_DOCSTRING = re.compile(r"(?s)(\"\"\"|''').*?\1")


MAX_LINE = 2000      # longer code lines (an embedded data string) are no loss code, and would slow the patterns


#: a statement continued over more lines than this (an unclosed bracket in broken code) is cut there
MAX_JOINED = 12
_STRING = re.compile(r"'(?:\\.|[^'\\])*'" + r'|"(?:\\.|[^"\\])*"')


def _depth(line: str) -> int:
    """Brackets ``line`` opens minus those it closes, outside its string literals."""
    bare = _STRING.sub("", line)
    return sum(bare.count(c) for c in "([{") - sum(bare.count(c) for c in ")]}")


def _statements(lines: list[str]) -> list[str]:
    """Lines joined where a bracket stays open (``print('..'.format(epoch,`` then
    ``torch.mean(torch.FloatTensor(D_losses))))``) or a line ends with a backslash (``D_loss = tf.reduce_mean(a) + \\``
    then ``tf.reduce_mean(b)``): one logical line each, as Python reads them."""
    out, held, depth = [], [], 0
    for ln in lines:
        if not held and ln.lstrip().startswith(("!", "%")):
            continue        # an IPython shell or magic line; inside open brackets a "%" line is an operand (below)
        part = ln.rstrip()
        more = part.endswith("\\")
        part = part[:-1].rstrip() if more else part
        held.append(part.strip() if held else part)
        depth += _depth(ln)
        if (depth <= 0 and not more) or len(held) >= MAX_JOINED:
            out.append(" ".join(held))
            held, depth = [], 0
    if held:
        out.append(" ".join(held))
    return out


def code_lines(cells: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``(cell number, line)`` of every code statement, comments and docstrings left out; a statement
    continued inside brackets is one line."""
    out = []
    for k, src in cells:
        src = _COMMENT.sub("", _DOCSTRING.sub("", src))
        # (a "% (epoch, d_loss.item())" line continuing a print's open bracket is its %-operand, no magic: held-out
        # batch 571/00's black-formatted print lost it, and with it D's mean)
        lines = [ln for ln in src.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        out += [(k, ln) for ln in _statements(lines) if len(ln) <= MAX_LINE]
    return out


def _quote(k: int, line: str) -> str:
    text = " ".join(line.split())
    return f"`{text[:90]}{'..' if len(text) > 90 else ''}` (cell {k})"


_ACCUMULATE = re.compile(r"^\s*([A-Za-z_][\w.]*)(?:\[[^\]]*\])?\s*\+=\s*(.+)$")
# a total divided into its mean before the print ("epoch_D_loss = running_D_loss / len(dataloader)")
_MEAN_OF_TOTAL = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=(?!=)\s*([A-Za-z_][\w.]*\s*/\s*.+)$")


_EVALUATED = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=(?!=)\s*((?:[\w.]+\.eval\(|(?:self\.)?sess\w*\.run\(\s*[\w.]+\s*[,)]).*)$")
_UNPACK = re.compile(r"^\s*([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)+)\s*=(?!=)\s*(.+)$")


def _printed_names(lines: list[tuple[int, str]]) -> str:
    """The text of every line that prints (with its call's arguments on the lines below: "print('..'.format(\n
    epoch, d_loss.item()))"), with what flows into a printed name: what is added into a printed
    total ("epoch_D_loss += D_train_loss.item()" then "print(epoch_D_loss / n)": D_train_loss reaches the log as
    an epoch's mean; also where the mean is named first: "epoch_D_loss = running_D_loss / len(dataloader)"), and
    what a TensorFlow 1 session returns into one ("_, D_loss_curr = sess.run([D_solver, D_loss], ..)") or evaluates
    into one ("train_loss_d = d_loss.eval({..})" then "print(.., train_loss_d)")."""
    shown = []
    for pos, (_, ln) in enumerate(lines):
        if _PRINTED.search(ln):
            shown.append(ln)
            depth, more = ln.count("(") - ln.count(")"), iter(lines[pos + 1:pos + 6])
            while depth > 0 and (nxt := next(more, None)) is not None:      # the call's arguments on the lines below
                shown.append(nxt[1])
                depth += nxt[1].count("(") - nxt[1].count(")")
    printed = "\n".join(shown)
    returns = _returned(lines)
    for _ in range(2):
        added = [m.group(2) for _, ln in lines
                 if (m := _ACCUMULATE.match(ln) or _UNPACK.match(ln) or _EVALUATED.match(ln) or _MEAN_OF_TOTAL.match(ln))
                 and any(re.search(rf"\b{re.escape(name.strip())}\b", printed)
                         for name in m.group(1).split(",") if name.strip() != "_")]
        called = [returns[name] for name in returns if re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", printed)]
        printed = "\n".join([printed, *added, *called])
    return printed


def _returned(lines: list[tuple[int, str]]) -> dict[str, str]:
    """What each function defined in the code returns, joined (``def D_train(x): .. return D_loss.item()`` ->
    ``{"D_train": "D_loss.item()"}``): a value printed as ``D_losses.append(D_train(x))`` flows from there."""
    out: dict[str, list[str]] = {}
    current = None
    for _, ln in lines:
        if (f := _DEF.match(ln)) is not None:
            current = f.group(1)
        elif current is not None and (r := _RETURN.match(ln)) is not None:
            out.setdefault(current, []).append(r.group(1))
    return {name: " ".join(values) for name, values in out.items()}


#: a unit test's own fixture (the Coursera GAN courses' ``test_adv_criterion = torch.nn.BCEWithLogitsLoss()``, checking
#: a function the training then calls with its own ``adv_criterion = nn.MSELoss()``)
_TEST_FIXTURE = re.compile(r"^\s*test_\w*\s*=(?!=)")


def family_hint(lines: list[tuple[int, str]]) -> tuple[str, int, str] | None:
    """(family, cell, line) where the code names one adversarial loss family, or BCE beside MSE (a content term).
    A loss bound to a unit test's ``test_*`` name is left out."""
    found: dict[str, tuple[int, str]] = {}
    for k, ln in lines:
        if _TEST_FIXTURE.match(ln):
            continue
        for fam, pat in _FAMILIES:
            if fam not in found and pat.search(ln):
                found[fam] = (k, ln)
    if set(found) == set(_MSE_AS_CONTENT) or set(found) == {"other", "lsgan"}:
        found.pop("lsgan")      # MSE as a content term (SRGAN) or as an EBGAN's energy
    if "lsgan-written" in found:        # least squares written out is LSGAN's own term, no content MSE
        written = found.pop("lsgan-written")
        found.setdefault("lsgan", written)
    if len(found) != 1:
        return None
    (fam, (k, ln)), = found.items()
    return fam, k, ln


def reduction_hint(lines: list[tuple[int, str]], printed: str, with_line: bool = False) -> tuple | None:
    """(sum or mean, why) where every assignment of D's loss from its real and fake terms agrees (a D loss in
    ``printed``, :func:`_printed_names`, or the return of a function named for D's loss: "def
    discriminator_loss(..): .. return real_loss + fake_loss")."""
    seen: dict[str, tuple[int, str]] = {}
    in_d_function, summed, returns, trains = False, None, None, None
    for k, ln in lines:
        if (f := _DEF.match(ln)) is not None:
            trains = f.group(1) if _D_TRAIN_FUNCTION.search(f.group(1)) else None
            in_d_function, summed = bool(_D_FUNCTION.search(f.group(1))) or trains is not None, None
        if in_d_function and summed is not None and (r := _RETURN.match(ln)) \
                and re.search(rf"\b{re.escape(summed[0])}\b", r.group(1)) and _MEAN_OF_TWO.search(r.group(1)):
            # "total_loss = real_loss + fake_loss" then "return total_loss * 0.5": the function returns their mean
            if seen.get("sum") == summed[1]:
                del seen["sum"]
            seen.setdefault("mean", (k, ln))
            continue
        m = _D_TARGET.match(ln)
        if m and (_REAL_FAKE.search(m.group(2)) or _NUMBERED_TERMS.search(m.group(2))) \
                and re.search(rf"\b{re.escape(m.group(1))}\b", printed):
            rhs = m.group(2)
        elif in_d_function and (r := _RETURN.match(ln) or _ASSIGN.match(ln)) and _REAL_FAKE.search(r.group(r.lastindex)) \
                and (trains is None or r.re is _RETURN
                     or re.search(rf"\b{re.escape(r.group(1))}\b", (returns := returns or _returned(lines)).get(trains, ""))):
            rhs = r.group(r.lastindex)      # the TensorFlow DCGAN tutorial's "total_loss = real_loss + fake_loss"
        else:
            continue
        if _MEAN_OF_TWO.search(rhs):
            seen.setdefault("mean", (k, ln))
        elif _SUM_OF_TWO.search(rhs) or _NUMBERED_TERMS.fullmatch(rhs.split("#")[0].strip()):
            seen.setdefault("sum", (k, ln))
            if in_d_function and (a := _ASSIGN.match(ln)) is not None:
                summed = (a.group(1), seen["sum"])
    if len(seen) != 1:
        return None
    (v, (k, ln)), = seen.items()
    what = "D's real and fake terms added" if v == "sum" else "the mean of D's real and fake terms"
    why = f"the notebook's code: {_quote(k, ln)}: {what}"
    return (v, why, ln, k) if with_line else (v, why)


# Keras' combined model compiled with a loss per output and their weights: "combined.compile(optimizer=..,
# loss=['binary_crossentropy', 'mean_squared_error'], loss_weights=[1e-3, 1])" (the Keras SRGAN copies, held-out batch
# 608/01); G's printed loss is then its train_on_batch's weighted total
_KERAS_COMPILE = re.compile(r"^\s*(\w+)\.compile\(")
_TRAIN_ON_BATCH = re.compile(r"^\s*(\w+)\s*(?:,\s*\w+\s*)*=\s*(\w+)\.train_on_batch\(")
_KERAS_LOSS_LIST = re.compile(r"\bloss\s*=\s*\[([^\]]*)\]")
_KERAS_WEIGHTS = re.compile(r"\bloss_weights\s*=\s*\[([^\]]*)\]")
_KERAS_CONTENT_LOSS = re.compile(r"(?i)mse|mae|mean_squared|mean_absolute|vgg|percept|content|\bl1\b|huber")
_KERAS_ADVERSARIAL_LOSS = re.compile(r"(?i)binary_crossentropy|\bbce\b|hinge|wasserstein")


def _keras_weighted_compile(lines: list[tuple[int, str]], printed: str) -> str | None:
    """Why G's printed loss holds other terms, where the model whose ``train_on_batch`` gives a printed G loss is
    compiled with an adversarial and a content loss and their ``loss_weights``; or, where that model is compiled
    under no name of its own (built and compiled in a function, ``model.compile(..)`` then ``gan =
    define_gan(..)``, held-out batch 614/08), the one compile of the notebook that is so."""
    # (also unpacked: "g_loss, _, _ = gan_model.train_on_batch(X_realA, [y_real, X_realB])", held-out batch 630/00)
    trained = {m.group(2) for _, ln in lines if (m := _TRAIN_ON_BATCH.match(ln)) is not None
               and (g := _G_TARGET.match(f"{m.group(1)} = _")) is not None
               and re.search(rf"\b{re.escape(g.group(1))}\b", printed)}
    if not trained:
        return None
    mixed, compiled = [], set()
    for i, (k, ln) in enumerate(lines):
        if (m := _KERAS_COMPILE.match(ln)) is None:
            continue
        compiled.add(m.group(1))
        call = " ".join(text for kk, text in lines[i:i + 6] if kk == k)
        losses, weights = _KERAS_LOSS_LIST.search(call), _KERAS_WEIGHTS.search(call)
        if losses and weights and _KERAS_CONTENT_LOSS.search(losses.group(1)) \
                and _KERAS_ADVERSARIAL_LOSS.search(losses.group(1)):
            mixed.append((m.group(1), k, ln, losses.group(1), weights.group(1)))
    own = [c for c in mixed if c[0] in trained]
    if not own and not trained & compiled and len(mixed) == 1:
        own = mixed
    if not own:
        return None
    _, k, ln, losses, weights = own[0]
    return (f"the notebook's code: {_quote(k, ln)} with loss=[{' '.join(losses.split())}] and "
            f"loss_weights=[{' '.join(weights.split())}]: G's printed loss is the weighted total of "
            "its adversarial and content terms, so its level is not the adversarial game's")


def g_composite_hint(lines: list[tuple[int, str]], printed: str) -> str | None:
    """Why G's printed loss holds other terms, where an assignment of a G loss in ``printed``
    (:func:`_printed_names`) adds a weighted non-adversarial term (pix2pix's ``+ 100 * l1``, SRGAN's ``mse +
    0.006 * vgg``), or Keras compiles the model that trains it with such terms and their ``loss_weights``."""
    if (keras := _keras_weighted_compile(lines, printed)) is not None:
        return keras
    for k, ln in lines:
        m = _G_TARGET.match(ln)
        if m and "+" in m.group(2) and re.search(rf"\b{re.escape(m.group(1))}\b", printed):
            rhs = m.group(2)
        elif (r := _RETURN.match(ln)) and "+" in r.group(1) and _ADVERSARIAL.search(r.group(1)):
            rhs = r.group(1)       # a G loss module's forward: "return image_loss + 0.001 * adversarial_loss + .."
        else:
            continue
        if _WEIGHTED.search(rhs) and (_OTHER_TERM.search(rhs) or _names_other_term(rhs, lines)):
            return (f"the notebook's code: {_quote(k, ln)}: G's printed loss adds weighted non-adversarial terms, "
                    "so its level is not the adversarial game's")
    return None


def _names_other_term(rhs: str, lines: list[tuple[int, str]], depth: int = 2) -> bool:
    """Whether a name in ``rhs`` is assigned a non-adversarial term (:data:`_OTHER_TERM`), directly or through the
    criterion it calls, ``depth`` assignments deep: "gen_loss = gen_loss1 + 100*gen_loss2" with "gen_loss2 =
    gan_criterion2(real, fake)" and "gan_criterion2 = nn.L1Loss()" (held-out batch 559/03, a pix2pix G read as
    plain BCE and told to raise its learning rate)."""
    names = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)", rhs))
    for _ in range(depth):
        found = [m.group(2) for _, ln in lines if (m := _ASSIGN.match(ln)) and m.group(1) in names]
        if any(_OTHER_TERM.search(expr) for expr in found):
            return True
        names = {n for expr in found for n in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", expr)}
        if not names:
            return False
    return False


_EMPTY = re.compile(r"^\s*(?:\[\s*\]|\{\s*\}|\(\s*\)|0(?:\.0*)?|None|list\(\)|dict\(\))\s*$")
# (a bare or NumPy mean of a list of steps' values; torch.mean / tf.reduce_mean of a batch's outputs are no such)
_AGGREGATE = re.compile(r"(?<![\w.])(?:sum|mean|average)\s*\(|\b(?:np\.mean|np\.average|statistics\.mean)\s*\(|/\s*\(?\s*(?:len\(|i\s*\+\s*1|"
                        r"n_?batch|num_?batch|n_?steps?\b|steps\b|batches\b|count\b|total\b)")
_AGGREGATE_NAME = re.compile(r"(?i)^(?:avg|mean|running|epoch|total|sum|cum|acc)_|_(?:avg|mean|running|epoch|total|sum)$")
# a D loss's name inside an aggregate's: "running_lossD", "epoch_d_loss", "total_disc_loss", "errD_sum"
_D_LOSS_NAME = re.compile(r"(?i)(?:loss_?d|err_?d|(?<![a-z])d_?loss|disc\w*loss|critic\w*loss|dis_?loss)(?![a-z])")
_D_LIST = re.compile(r"(?i)\b\w*(?:critic|disc|discriminator)\w*loss\w*|\b(?:d|errD|lossD)_?loss\w*s\b")
_SHOWN = re.compile(r"\bprint\s*\(|set_postfix|set_description|^\s*f?['\"].*\{\s*\w")   # a print itself
_MEAN_OF_LIST = re.compile(r"\b(?:np\.|torch\.|statistics\.)?mean\(\s*(?:(?:torch|np)\.\w+\(\s*)?(\w+)")
# ... or the list made an array first: "np.asarray(d_losses).mean()" (a running mean since the first epoch),
# "torch.FloatTensor(d_losses).mean()" (Raschka's book's DCGAN, "Epoch 001 | Avg Losses >> G/D ..", held-out batch 698/00)
_ARRAY_MEAN = re.compile(r"\b(?:np|torch)\.(?:asarray|array|tensor|stack|FloatTensor|Tensor)\(\s*(\w+)\s*\)\s*\.mean\(")
# ... or summed: "sum(loss_D)" in a print (an epoch's total)
_SUM_OF_LIST = re.compile(r"(?<![\w.])(?:np\.|math\.f)?sum\(\s*(\w+)\s*\)")


# a value appended to a list, also to one of a list of lists: "errD[epoch].append(d_loss.item())" (group 1: the list)
_APPEND = re.compile(r"^\s*([\w.]+)(?:\[[^\]]*\])?\.append\((.+)\)\s*$")
# an average meter's mean read in the print: "set_postfix(Dis_loss=loss_D.avg.item())" (AverageMeter's .avg), torchnet's
# "D_losses.value()[0]" (AverageValueMeter's (mean, std))
_METER_READ = re.compile(r"\b([A-Za-z_]\w*)\.(?:avg\b|average\b|value\(\)\s*\[\s*0\s*\])")


def _returns_d_loss(expr: str, returns: dict[str, str], word: re.Pattern) -> bool:
    """Whether ``expr`` calls a function whose return names a D loss (``D_losses.append(D_train(x))``)."""
    return any(word.search(returns[m.group(1)]) for m in re.finditer(r"(?<![\w.])(\w+)\s*\(", expr)
               if m.group(1) in returns)


def _d_loss_word(lines: list[tuple[int, str]], targets: set[str]) -> re.Pattern:
    """A pattern of D's loss names: ``targets`` (names assigned D's loss), and the names a TensorFlow 1 session
    evaluates D's loss into ("train_loss_d = net.d_loss.eval({..})", Udacity's SVHN DCGAN: that step's value, as D's
    loss is); one that matches nothing where there are none."""
    word = re.compile(r"\b(" + "|".join(map(re.escape, sorted(targets, key=len, reverse=True))) + r")\b" if targets
                      else r"(?!)")
    if evaluated := {m.group(1) for _, ln in lines if (m := _EVALUATED.match(ln)) and word.search(m.group(2))} - targets:
        word = re.compile(r"\b(" + "|".join(map(re.escape, sorted(targets | evaluated, key=len, reverse=True))) + r")\b")
    return word


def _d_loss_lists(lines: list[tuple[int, str]], word: re.Pattern) -> dict[str, tuple[int, str]]:
    """The lists each step's D loss (a name ``word`` matches, or a helper's return that names one) is appended to,
    with the line that appends it."""
    returns = _returned(lines)
    return {m.group(1).split(".")[0]: (k, ln) for k, ln in lines
            if (m := _APPEND.match(ln)) and (word.search(m.group(2)) or _returns_d_loss(m.group(2), returns, word))}


def summed_rows_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """("D", why) where the code prints the sum of a list of D's per-step losses, not their mean
    (``loss_D.append(lossD.item())`` over an epoch's batches, then ``print(f'.. LossD: {sum(loss_D)} ..')``): each
    row is an epoch's total, as many times D's per-batch level as the epoch has batches, so its level says nothing
    of who wins (held-out batches 533/00 and 533/03, a stock-price GAN's 17 batches at equilibrium: D at 23.5 read
    as a saturated D). None where no such print is found (a sum divided by a count is a mean)."""
    targets = {m.group(1) for _, ln in lines if (m := _D_TARGET.match(ln)) and not _EMPTY.match(m.group(2))}
    lists = _d_loss_lists(lines, _d_loss_word(lines, targets)) if targets else {}
    if not lists:
        return None
    for k, ln in lines:
        if _SHOWN.search(ln):
            for m in _SUM_OF_LIST.finditer(ln):
                if m.group(1) in lists and not re.match(r"\s*/", ln[m.end():]):
                    return "D", (f"the notebook's code: {_quote(k, ln)} prints the sum of the steps' D losses in "
                                 f"{m.group(1)} ({_quote(*lists[m.group(1)])}): each row is a total over its steps, "
                                 "not their mean")
    return None


#: a print that checks a value against a reference, as a course's unit test does ("print('Maximum error in d_loss: %g'
#: % rel_error(d_loss_true, d_loss))", EECS 498 and cs231n, held-out batch 582): no loss of the run is printed there
_CHECK_PRINT = re.compile(r"(?i)\b(?:rel_error|abs_error|allclose|isclose)\s*\(|\berror in\b")


def averaged_hint(lines: list[tuple[int, str]]) -> tuple[bool, str] | None:
    """(True, why) where D's printed loss is a total or mean of its steps (``epoch_d_loss += d_loss.item()`` then
    ``print(epoch_d_loss / n)``, ``np.mean(d_losses)`` in a print, Keras' ``d_loss_metric.update_state(d_loss)``);
    (False, why) where the print shows the step's own value (``print(.., d_loss.item())``); None where the code
    does both or neither."""
    assigned = [(m.group(1), m.group(2)) for _, ln in lines if (m := _D_TARGET.match(ln))
                and not _EMPTY.match(m.group(2))]
    targets = {name for name, _ in assigned}
    # a name of no D-loss shape made as an aggregate of D's losses: "crit_mean = sum(critic_losses[-display_step:])
    # / display_step" (the GAN specialization's WGAN-GP)
    of_d_list = {m.group(1): (k, ln) for k, ln in lines if (m := _ASSIGN.match(ln)) and m.group(1) not in targets
                 and _AGGREGATE.search(m.group(2)) and _D_LIST.search(m.group(2))}
    # an aggregate named for D's loss that steps' values are added into: "running_lossD += lossD.item()" (lossD
    # unpacked from a helper's return)
    into_d = {m.group(1): (k, ln) for k, ln in lines if (m := _ACCUMULATE.match(ln))
              and _AGGREGATE_NAME.search(m.group(1)) and _D_LOSS_NAME.search(m.group(1))}
    if not targets and not of_d_list and not into_d:
        return None
    word = _d_loss_word(lines, targets)
    totals = {m.group(1): (k, ln) for k, ln in lines if (m := _ACCUMULATE.match(ln)) and word.search(m.group(2))}
    totals.update(into_d)
    # a D loss made as the mean of a list or a total over a count ("d_loss = sum(disc_loss_list) / len(..)",
    # "avg_disc_loss = float(np.mean(epoch_disc_losses))") is an aggregate too
    totals.update({name: (0, name) for name, rhs in assigned if _AGGREGATE.search(rhs) or _AGGREGATE_NAME.search(name)})
    totals.update(of_d_list)
    # ... and a name made from one of those totals: "avg_d_loss = total_d_loss/len(train_loader)" after
    # "total_d_loss += d_loss.item()" (held-out batch 708/00, read as single-step values from its rows)
    totals.update({m.group(1): (k, ln) for k, ln in lines if (m := _ASSIGN.match(ln)) and m.group(1) not in totals
                   and not _EMPTY.match(m.group(2))
                   and any(re.search(rf"\b{re.escape(a)}\b", m.group(2)) for a in list(totals))})
    lists = _d_loss_lists(lines, word)
    # a list of those lists' means, printed as its last: "losses_d.append(np.mean(loss_d_per_epoch))" then
    # "print(.., losses_d[-1])"
    totals.update({m.group(1).split(".")[0]: (k, ln) for k, ln in lines
                   if (m := _APPEND.match(ln)) and _AGGREGATE.search(m.group(2))
                   and any(re.search(rf"\b{re.escape(name)}\b", m.group(2)) for name in lists)})
    mean, step = None, None
    for k, ln in lines:
        if "update_state(" in ln and word.search(ln):
            mean = mean or (k, ln)
            continue
        if not _SHOWN.search(ln) or _CHECK_PRINT.search(ln):
            continue
        if any(re.search(rf"\b{re.escape(a)}\b", ln) for a in totals) or \
                any(word.fullmatch(m.group(1)) for m in _METER_READ.finditer(ln)) or \
                any(m.group(1) in lists for rx in (_MEAN_OF_LIST, _ARRAY_MEAN, _SUM_OF_LIST) for m in rx.finditer(ln)):
            mean = mean or (k, ln)
        elif word.search(ln):
            step = step or (k, ln)
    if (mean is None) == (step is None):
        return None
    if mean is not None:
        return True, f"the notebook's code: {_quote(*mean)}: D's printed loss is a total or mean over steps"
    return False, f"the notebook's code: {_quote(*step)}: D's printed loss is the step's own value"


# Keras 3's progress bar ("1/1 ━━━━━━━━━━━━━━━━━━━━ 0s 55ms/step", ANSI colours between; Keras 2 drew
# "[==============================]", and pip's own "━━━━ 1.2/1.2 MB 3.4 MB/s" has no "/step")
KERAS3_BAR = re.compile(r"━━━[^\n]*?\d\s*(?:ms|s|us|µs)/step")
_ON_BATCH = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=(?!=).*\.train_on_batch\(")


def keras3_running_mean_hint(lines: list[tuple[int, str]], printed: str) -> tuple[bool, str] | None:
    """(True, why) where the code keeps what ``train_on_batch`` returns as a loss (``d_loss1, _ = d.train_on_batch(..)``;
    not ``_, real_acc = ..``) and its printed output shows Keras 3's
    progress bars: until keras-team/keras#22617 (merged April 2026) Keras 3's ``train_on_batch`` never reset its
    loss tracker, so it returned the mean of every call's loss since the model was compiled (D's real and fake
    calls alike), not the batch's own: smooth, late changes all but hidden. None otherwise."""
    if "━━━" not in printed or KERAS3_BAR.search(printed) is None:
        return None
    hit = next(((k, ln) for k, ln in lines if _ON_BATCH.match(ln)
                and any(_LOSSY.search(t) for t in re.findall(r"[A-Za-z_][\w.]*", ln.split("=")[0]))), None)
    if hit is None:
        return None
    return True, (f"the notebook's code: {_quote(*hit)} under Keras 3 (its progress bars): before keras-team/keras#22617 "
                  "(April 2026) Keras 3's train_on_batch returned the mean of every call's loss since the model was "
                  "compiled, not the batch's own, so each row is a running mean that hides late changes")


# ---- how many iterations apart the prints are: "if batch_i % print_every == 0:" over a print of the losses
# (also after a first print's "epoch == 1 or ": held-out batch 550/01)
_EVERY_IF = re.compile(r"^(\s*)(?:el)?if(?:\s+|(?=\())(?:\(?\s*[A-Za-z_][\w.]*\s*(?:\+\s*1\s*)?==\s*\d+\s*\)?\s+or\s+)?"
                       r"\(?\s*([A-Za-z_][\w.]*)\s*(?:\+\s*1\s*)?\)?\s*%\s*"
                       r"([A-Za-z_][\w.]*|\d+)\s*\)?\s*==\s*0\b")
_FOR = re.compile(r"^(\s*)for\s+\(?\s*([\w\s,()]+?)\s*\)?\s+in\s+(.+):\s*$")
_EPOCHISH = re.compile(r"(?i)epoch|\bep\b|\be\b")
_STEPISH = re.compile(r"(?i)^(?:self\.)?(?:i|it|iter|iters|iteration|iterations|step|steps|global_step|total_steps?|"
                      r"n_iter|num_iter|idx|batch\w*|\w*_step|\w*_iter|batches_done|counter|count|itr)$")
_LOSSY = re.compile(r"(?i)loss|err|\bd_|\bg_|cost")


def _assigned_int(lines: list[tuple[int, str]], name: str) -> tuple[int, int, str] | None:
    """(value, cell, line) of the integer the code gives ``name`` ("print_every = 300", a call's or a def's
    "print_every=50": a call's or an assignment's value wins over a def's default); None unless they agree, and
    None where a call or an assignment gives it a value the code computes (``print_every=len(loader)``)."""
    pat = re.compile(rf"(?:^|[\s(,.]){re.escape(name.split('.')[-1])}\s*=(?!=)\s*(\d+)\s*(?:[,)#]|$)")
    given = re.compile(rf"(?:^|[\s(,.]){re.escape(name.split('.')[-1])}\s*=(?!=)\s*\S")
    plain, default = {}, {}
    for k, ln in lines:
        if not _DEF.match(ln) and len(given.findall(ln)) > len(pat.findall(ln)):
            return None     # a call's or an assignment's value the code computes ("print_every=len(loader)")
        for m in pat.finditer(ln):
            (default if _DEF.match(ln) else plain).setdefault(int(m.group(1)), (k, ln))
    found = plain or default
    if len(found) != 1:
        return None
    (value, (k, ln)), = found.items()
    return value, k, ln


def _prints_a_loss(lines: list[tuple[int, str]], pos: int, indent: int) -> bool:
    """Whether the block under ``lines[pos]`` (an ``if``, its lines indented past ``indent``; up to 7 of them) prints a
    loss."""
    body = []
    for _, nxt in lines[pos + 1:pos + 8]:
        if len(nxt) - len(nxt.lstrip()) <= indent:
            break
        body.append(nxt)
    if any(_PRINT_CALL.search(b) for b in body) and any(_LOSSY.search(b) for b in body):
        return True
    # or calls a function of the notebook's that prints one ("visualize_training(epoch, d_losses, g_losses)",
    # held-out batch 550/01)
    called = {name for b in body for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", b)}
    return bool(called) and bool(called & _loss_printers(lines))


def function_bodies(lines: list[tuple[int, str]]) -> dict[str, list[str]]:
    """The body lines of each function the code (``code_lines``) defines, by name (a name defined twice: both
    bodies), up to the first line indented no deeper than its ``def``."""
    bodies: dict[str, list[str]] = {}
    name, indent = None, 0
    for _, ln in lines:
        if (d := _DEF.match(ln)) is not None:
            name, indent = d.group(1), len(ln) - len(ln.lstrip())
            bodies.setdefault(name, [])
            continue
        if name is not None and len(ln) - len(ln.lstrip()) <= indent:
            name = None
        if name is not None:
            bodies[name].append(ln)
    return bodies


def _loss_printers(lines: list[tuple[int, str]]) -> set[str]:
    """Names of the functions whose own body prints a loss (a print call and a loss's name in one line)."""
    return {name for name, body in function_bodies(lines).items()
            if any(_PRINT_CALL.search(ln) and _LOSSY.search(ln) for ln in body)}


def print_every_hint(lines: list[tuple[int, str]]) -> tuple[int, str] | None:
    """(N, why) where the code prints the losses every N training iterations: "if batch_i % print_every == 0:"
    (with "print_every = 300" or a def's "print_every=50") or "if (i + 1) % 100 == 0:" over a print of a loss, its
    counter bound by a loop over batches (not epochs) or named like an iteration counter; None where the code
    prints at several intervals, every N epochs, or where the counter's meaning is unclear."""
    found: dict[int, tuple[int, str]] = {}
    for pos, (k, ln) in enumerate(lines):
        m = _EVERY_IF.match(ln)
        if m is None:
            continue
        indent, var, every = len(m.group(1).expandtabs()), m.group(2), m.group(3)
        if not _prints_a_loss(lines, pos, indent):
            continue
        if _EPOCHISH.search(var):
            return None                         # every N epochs: not iterations
        loop = next((f for _, ln_above in reversed(lines[:pos]) if (f := _FOR.match(ln_above))
                     and len(f.group(1).expandtabs()) < indent
                     and var.split(".")[-1] in re.findall(r"\w+", f.group(2))), None)
        # (the iterable without its strings: "tqdm(enumerate(train_loader), desc=f'T{epoch}')" loops over batches)
        if loop is not None and _EPOCHISH.search(_STRING.sub("''", loop.group(3))):
            return None
        if loop is None and not _STEPISH.match(var):
            continue
        if every.isdigit():
            n, quote = int(every), _quote(k, ln)
        elif (given := _assigned_int(lines, every)) is not None:
            n, quote = given[0], f"{_quote(k, ln)} with {_quote(*given[1:])}"
        else:
            continue
        if n >= 1:
            found.setdefault(n, quote)
    if len(found) != 1:
        return None
    (n, quote), = found.items()
    return n, f"the notebook's code prints the losses every {n} iterations: {quote}"


#: a loop's iterable that goes over the data: a loader or dataset, its batches, its size over the batch size
_OVER_DATA = re.compile(r"(?i)load|data|batch|shape\s*\[\s*0\s*\]|len\s*\(|num_exam|n_?samples|train|images|steps_per")
#: ... but not a critic's or D's extra steps
_CRITIC_STEPS = re.compile(r"(?i)critic|n_?d\b|d_?steps|d_?iters|k_?steps|\bn_?dis")


def true_epochs_hint(lines: list[tuple[int, str]]) -> tuple[int, str] | None:
    """(N, why) where the code prints the losses every N epochs of a loop that holds a loop over batches: ``for epoch
    in range(100):`` over ``for index in range(n_batches):`` (a step each), then ``if epoch % 10 == 0: print(..d_loss..)``
    after it (held-out batch 509/02). Such an epoch is a pass over the data, not one iteration as the Keras-style
    scripts that print ``epoch`` every N iterations call it. None where no such print is found, or several intervals."""
    found: dict[int, str] = {}
    for pos, (k, ln) in enumerate(lines):
        m = _EVERY_IF.match(ln)
        if m is None:
            continue
        every = m.group(3)
        # a named interval, "if (epoch % print_every) == 0:" with "print_every = 5" (held-out batch 553/03)
        given = None if every.isdigit() else _assigned_int(lines, every)
        if not every.isdigit() and given is None:
            continue
        indent = len(m.group(1).expandtabs())
        if not _prints_a_loss(lines, pos, indent):
            continue
        at = next((j for j in range(pos - 1, -1, -1) if (f := _FOR.match(lines[j][1]))
                   and len(f.group(1).expandtabs()) < indent and m.group(2).split(".")[-1] in re.findall(r"\w+", f.group(2))),
                  None)
        if at is None:
            continue
        loop = _FOR.match(lines[at][1])
        # the counter named for epochs, or its loop over them ("for step in range(int(epoch/2)):", held-out 560/06c)
        if not (_EPOCHISH.search(m.group(2)) or _EPOCHISH.search(_STRING.sub("''", loop.group(3)))):
            continue
        outer = len(loop.group(1).expandtabs())
        # a loop over the data inside the epoch's, before the print (its batches): the epoch is a pass over the data
        # (not a loop over a critic's extra steps, "for _ in range(n_critic):", inside a Keras-style iteration "epoch")
        inner = next((lines[j] for j in range(at + 1, pos) if (f := _FOR.match(lines[j][1]))
                      and len(f.group(1).expandtabs()) > outer and _OVER_DATA.search(f.group(3))
                      and not _CRITIC_STEPS.search(f.group(3))), None)
        if inner is None:
            continue
        n = int(every) if given is None else given[0]
        with_value = "" if given is None else f" with {_quote(*given[1:])}"
        if n >= 1:
            found.setdefault(n, f"{_quote(k, ln)}{with_value} in {_quote(*lines[at])} over {_quote(*inner)}")
    if len(found) != 1:
        return None
    (n, quote), = found.items()
    return n, f"the notebook's code prints the losses every {n} epochs, each a loop over batches: {quote}"


# ---- real labels smoothed: "torch.ones(batch_size) * 0.9", "tf.ones_like(d_logits_real) * (1 - smooth)" with
# "smooth = 0.1", "real_label = 0.9", "np.full((n, 1), 0.9)", "valid = 0.9 * np.ones(..)"
_SMOOTH_TARGET = re.compile(r"\b(?:ones|ones_like|full_like|full)\([^()]*(?:\([^()]*\)[^()]*)*\)\s*\*\s*"
                            r"(0?\.\d+|\(\s*1(?:\.0*)?\s*-\s*([A-Za-z_]\w*|0?\.\d+)\s*\))|"
                            r"\b(0?\.\d+)\s*\*\s*(?:torch|tf|np|K)\.ones|"
                            # a tensor of ones by its name: "target_as_ones * 0.9 if smooth else target_as_ones"
                            r"\b\w*ones\w*\s*\*\s*(0?\.\d+)\b|"
                            r"\b(?:real_?label|real_?labels|valid|real_?target|label_?real|real_?y|y_?real)\s*=\s*(0?\.[5-9]\d*)\s*$|"
                            # "tf.ones_like(d_model_real) * smooth" with "smooth = 0.9": the target itself
                            r"\b(?:ones|ones_like|full_like|full)\([^()]*(?:\([^()]*\)[^()]*)*\)\s*\*\s*([A-Za-z_]\w*)\b(?!\s*[(.])|"
                            # a label made as the fill value: "label = torch.full((b_size,), 0.9, ..)", "label.fill_(0.9)"
                            # (not a probability: "torch.bernoulli(torch.full((n,), 0.7))")
                            r"^\s*[\w.]*(?i:label|target|valid|real)\w*\s*=\s*(?:torch\.)?full\(\s*(?:\([^()]*\)|\[[^\]]*\]|[\w.]+)\s*,"
                            r"\s*(?:fill_value\s*=\s*)?(0?\.[5-9]\d*)\b|"
                            r"\b[\w.]*(?i:label|target|valid|real)\w*(?:\.data)?\.fill_\(\s*(0?\.[5-9]\d*)\s*\)")
_SMOOTH_VALUE = re.compile(r"^\s*(smooth\w*|label_smooth\w*)\s*=\s*(0?\.\d+)\s*(?:#.*)?$")


_IF_FLAG = re.compile(r"^(\s*)if\s+(\w+)\s*:")


def _flag_never_set(lines: list[tuple[int, str]], pos: int) -> bool:
    """Whether line ``pos`` sits under "if FLAG:" in a def whose FLAG defaults to False and no call on D's real
    outputs sets it ("def real_loss(D_out, smooth=False): .. if smooth: labels = torch.ones(n) * 0.9" with every
    call "real_loss(D_real)", or True passed only with a fake's outputs: D's reals are not smoothed)."""
    line = lines[pos][1]
    indent = len(line) - len(line.lstrip())
    flag = None
    for _, above in reversed(lines[:pos]):
        here = len(above) - len(above.lstrip())
        if not above.strip() or here >= indent:
            continue
        if flag is None:
            if (m := _IF_FLAG.match(above)) is None:
                return False
            flag, indent = m.group(2), here
            continue
        if (d := _DEF_HEAD.match(above)) is None:
            return False
        if not re.search(rf"\b{flag}\s*=\s*False\b", d.group(3) or ""):
            return False
        name = d.group(2)
        # a call that sets it on a fake's outputs is G's loss (Udacity's "g_loss = real_loss(D_fake, True)"), not D's
        calls = [c.group(0) for _, ln in lines if not _DEF.match(ln)
                 for c in re.finditer(rf"\b{name}\((?:[^()]|\([^()]*\))*\)", ln)]
        return not any(re.search(rf"\b{flag}\s*=\s*True\b|\bTrue\b", c) and not re.search(r"(?i)fake|gen", c)
                       for c in calls)
    return False


# uniform noise added to D's targets, one side up and the other down ("noise_real = 0.15*tf.random.uniform(tf.shape(
# yhat_real))", "noise_fake = -0.15*tf.random.uniform(..)", "y_realfake += tf.concat([noise_real, noise_fake], axis=0)":
# a popular TensorFlow GAN tutorial's training step)
_LABEL_NOISE = re.compile(r"^\s*(\w*noise\w*)\s*=\s*(-?)\s*(\d*\.?\d+)\s*\*\s*(?:tf\.random\.uniform|"
                          r"np\.random\.(?:uniform|random|rand|random_sample)|torch\.rand(?:_like)?)\(")


def label_noise_hint(lines: list[tuple[int, str]]) -> tuple[float, str] | None:
    """(a, why) where the code adds uniform noise up to ``a`` to D's targets of one side and takes it from the
    other's, both added into the targets (the targets move towards each other: 0 + U(0, a) and 1 - U(0, a)); None
    otherwise (one side only, different widths, normal noise, or noise that never reaches the targets)."""
    found: dict[bool, tuple[str, float, int, str]] = {}
    for k, ln in lines:
        if (m := _LABEL_NOISE.match(ln)) is not None:
            found.setdefault(m.group(2) == "-", (m.group(1), float(m.group(3)), k, ln))
    if set(found) != {False, True} or found[False][1] != found[True][1] or not 0 < found[False][1] < 0.5:
        return None
    up, down = found[False][0], found[True][0]
    if not any("+=" in ln and re.search(rf"\b{up}\b", ln) and re.search(rf"\b{down}\b", ln) for _, ln in lines):
        return None
    a, k, ln = found[False][1], found[False][2], found[False][3]
    return a, (f"the notebook's code: {_quote(k, ln)} and its negative added into D's targets: each side's target moved "
               f"towards the other's by up to {a:g}")


# Chollet's Keras GAN: "labels += 0.05 * np.random.random(labels.shape)" (or tf.random.uniform) on targets that hold
# 1s (the fakes', labels flipped): noise added to every target pushes the 1s above 1, where BCE goes below 0
_NOISE_ADDED = re.compile(r"^\s*(\w*labels?\w*)\s*\+=\s*(\d*\.?\d+)\s*\*\s*(?:tf\.random\.uniform|"
                          r"np\.random\.(?:uniform|random|rand|random_sample)|torch\.rand(?:_like)?)\(")


def label_noise_beyond_hint(lines: list[tuple[int, str]]) -> tuple[float, str] | None:
    """(a, why) where the code adds uniform noise up to ``a`` (below 0.5) to D's targets and those targets were built
    holding ones ("labels = np.concatenate([np.ones(..), np.zeros(..)])"): targets up to 1 + a, against which a BCE D
    loss goes below 0; None otherwise."""
    for k, ln in lines:
        if (m := _NOISE_ADDED.match(ln)) is None or not 0 < float(m.group(2)) < 0.5:
            continue
        if any(re.match(rf"\s*{m.group(1)}\s*=.*\bones\b", other) for _, other in lines):
            return float(m.group(2)), (f"the notebook's code: {_quote(k, ln)}: noise added to D's targets, which hold "
                                       f"ones, pushes them up to {1 + float(m.group(2)):g}, where BCE goes below 0")
    return None


def label_smoothing_hint(lines: list[tuple[int, str]]) -> tuple[float, str] | None:
    """(1 - real target, why) where the code trains D on real labels below 1 ("torch.ones(n) * 0.9", "tf.ones_like(x)
    * (1 - smooth)" with "smooth = 0.1", "real_label = 0.9"), every such target agreeing; None otherwise. A target
    of 0.5 or below is no smoothing (a label, or a fake target)."""
    values = {m.group(1): float(m.group(2)) for _, ln in lines if (m := _SMOOTH_VALUE.match(ln))}
    found: dict[float, tuple[int, str]] = {}
    for pos, (k, ln) in enumerate(lines):
        m = _SMOOTH_TARGET.search(ln)
        if m is None or _flag_never_set(lines, pos):
            continue
        if m.group(1) is not None and m.group(2) is not None:       # "* (1 - smooth)"
            off = values.get(m.group(2)) if not m.group(2)[0].isdigit() and m.group(2)[0] != "." else float(m.group(2))
            target = None if off is None else 1 - off
        elif m.group(6) is not None:        # "* smooth" with "smooth = 0.9" (a target; "smooth = 0.1" says nothing here)
            target = values.get(m.group(6))
        else:
            target = float(next(g for g in (m.group(1), m.group(3), m.group(4), m.group(5), m.group(7), m.group(8))
                                if g is not None))
        if target is not None and 0.5 < target < 1:
            found.setdefault(round(1 - target, 4), (k, ln))
    if len(found) != 1:
        return None
    (off, (k, ln)), = found.items()
    return off, f"the notebook's code: {_quote(k, ln)}: real labels smoothed to {1 - off:g}"


# ---- a print whose labels and values cross: "print('loss d: {:.3f}, loss g: {:.3f}'.format(gen_loss_arr.mean(),
# dis_loss_arr.mean()))" (held-out batch 461/11)
_FORMAT_CALL = re.compile(r"\bprint\(\s*(['\"])(?P<fmt>[^'\"]*)\1\s*\.format\((?P<args>.*)\)\s*\)\s*$")
_PERCENT_CALL = re.compile(r"\bprint\(\s*(['\"])(?P<fmt>[^'\"]*)\1\s*%\s*\((?P<args>.*)\)\s*\)\s*$")
_F_CALL = re.compile(r"\bprint\(\s*f(['\"])(?P<fmt>[^'\"]*)\1\s*\)\s*$")
_BRACE_FIELD = re.compile(r"\{([^{}]*)\}")
_PERCENT_FIELD = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[dieEfFgGs]")
_LABEL_BEFORE = re.compile(r"([A-Za-z][\w ()]*?)\s*[:=]\s*$")


def _split_args(args: str) -> list[str]:
    """A call's arguments split at its top-level commas."""
    out, depth, cur = [], 0, ""
    for ch in args:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [a for a in [*out, cur.strip()] if a]


def _net_of_expr(expr: str) -> str | None:
    """Whose loss a printed expression names (``gen_loss_arr.mean()``: G), by its first name that says; None."""
    from ganalyze.runlog.schema import canonical_column

    for name in re.findall(r"[A-Za-z_]\w*", expr):
        col, low = canonical_column(name), name.lower()
        if col in ("d_loss", "g_loss"):
            return col
        if "gen" in low:
            return "g_loss"
        if "dis" in low or "crit" in low:
            return "d_loss"
    return None


def swapped_print_hint(lines: list[tuple[int, str]]) -> tuple[tuple[str, str], str] | None:
    """((D's printed label, G's printed label), why) where the one print of the code that labels both losses prints
    each net's value under the other's label (the labels read as our d_loss and g_loss, the values' names as the
    other net's: ``'loss d: {:.3f}, loss g: {:.3f}'.format(gen_loss_arr.mean(), dis_loss_arr.mean())``); None where
    no print labels both, more than one does, or the names agree with the labels."""
    from ganalyze.runlog.schema import canonical_column

    found = []
    for k, ln in lines:
        m = _FORMAT_CALL.search(ln) or _PERCENT_CALL.search(ln)
        if m is not None:
            fmt, exprs = m.group("fmt"), _split_args(m.group("args"))
            fields = list((_BRACE_FIELD if "{" in fmt else _PERCENT_FIELD).finditer(fmt))
            if len(fields) != len(exprs):
                continue
        elif (m := _F_CALL.search(ln)) is not None:
            fmt = m.group("fmt")
            fields = list(_BRACE_FIELD.finditer(fmt))
            exprs = [f.group(1).split(":")[0] for f in fields]
        else:
            continue
        pairs, start = {}, 0
        for field, expr in zip(fields, exprs):
            label = _LABEL_BEFORE.search(fmt[start:field.start()])
            start = field.end()
            col = canonical_column(label.group(1).strip()) if label else None
            if col in ("d_loss", "g_loss") and col not in pairs:
                pairs[col] = (label.group(1).strip(), _net_of_expr(expr))
        if len(pairs) == 2:
            found.append((k, ln, pairs))
    if len(found) != 1:
        return None
    k, ln, pairs = found[0]
    if pairs["d_loss"][1] == "g_loss" and pairs["g_loss"][1] == "d_loss":
        return ((pairs["d_loss"][0], pairs["g_loss"][0]),
                f"the notebook's code: {_quote(k, ln)} prints G's loss under D's label and D's under G's")
    return None


# ---- fake labels smoothed up from 0: "fake_label = 0.1", "label.fill_(0.1)" on a fake label
_FAKE_TARGET = re.compile(r"^\s*(?:fake_?labels?|label_?fake|fake_?target|y_?fake|fake_?y)\s*=\s*(0?\.[0-4]\d*)\s*(?:#.*)?$|"
                          r"\b(?:fake_?labels?|label_?fake|fake_?target)\w*(?:\.data)?\.fill_\(\s*(0?\.[0-4]\d*)\s*\)")


def fake_label_hint(lines: list[tuple[int, str]]) -> tuple[float, str] | None:
    """(fake target, why) where the code names D's fake target above 0 ("fake_label = 0.1", "fake_label.fill_(0.1)"),
    every such target agreeing; None otherwise. With real labels smoothed to 1 - that target both sides are smoothed,
    and a summed BCE D loss cannot go below twice the labels' entropy (held-out batch 454/03: "real_label = 0.9",
    "fake_label = 0.1", D's summed loss at 0.6504 for 9,000 iterations beside 28 copies of grey noise)."""
    found = {}
    for k, ln in lines:
        if (m := _FAKE_TARGET.search(ln)) is not None and 0 < (v := float(m.group(1) or m.group(2))) < 0.5:
            found.setdefault(v, (k, ln))
    if len(found) != 1:
        return None
    (v, (k, ln)), = found.items()
    return v, f"the notebook's code: {_quote(k, ln)}: fake labels smoothed to {v:g}"


# ---- an optimiser stepped whose gradients nothing zeroes: "d_optimizer.step()" and no "d_optimizer.zero_grad()"
# "d_optimizer = optim.Adam(D.parameters(), ..)", also with the class imported by name ("Adam(params=G.parameters())")
_OPTIMISER = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=\s*(?:(?:torch\.)?optim\.\w+|[NR]?Adam\w*|SGD|RMSprop|Adagrad|Adadelta)"
                        r"\(\s*(?:list\(|params\s*=\s*)?\s*([A-Za-z_][\w.]*?)\.parameters\(")
_STEPPED = re.compile(r"\b([A-Za-z_][\w.]*)\.step\(\s*\)|\.step\(\s*([A-Za-z_][\w.]*)\s*\)")
_ZEROED = re.compile(r"\b([A-Za-z_][\w.]*)\.zero_grad\(")
# (a bare helper called on a network, "zero_grad(D)"; not a method's keyword, "opt.zero_grad(set_to_none=True)")
_GRAD_CLEARED = re.compile(r"\.grad\s*=\s*None|\.grad(?:\.data)?\.zero_\(|(?<![\w.])zero_grad\(\s*[A-Za-z_]")
_D_NET = re.compile(r"(?i)(?:^|[._])(?:d|disc\w*|dis|critic\w*|net_?d|model_?d|d_?net\w*)(?:$|[._])|discriminator|critic")
_G_NET = re.compile(r"(?i)(?:^|[._])(?:g|gen\w*|net_?g|model_?g|g_?net\w*)(?:$|[._])|generator")


def _unprefixed(name: str) -> str:
    return name[5:] if name.startswith("self.") else name


_OPTIMISER_WORD = re.compile(r"(?i)^(?:optimi[sz]er|optim|opt)_?(?=\w)")


def _named_for(role: re.Pattern, optimiser: str) -> bool:
    """Whether an optimiser's name ties it to the network ``role`` names (:data:`_D_NET`, :data:`_G_NET`), also
    with the optimiser word before the role's letter: the PyTorch DCGAN tutorial's ``optimizerD``, ``optG``."""
    return bool(role.search(optimiser) or role.search(_OPTIMISER_WORD.sub("", optimiser)))


def unzeroed_optimiser_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """(role, why) where the code steps a PyTorch optimiser built on one network's parameters
    (``d_optimizer = optim.Adam(D.parameters(), ..)``, then ``d_optimizer.step()``) and never zeroes its
    gradients: no ``d_optimizer.zero_grad()``, no ``D.zero_grad()``, nothing that clears a ``.grad``. Each
    ``backward()`` then adds to every earlier step's gradients, so the network's steps grow with the step count.
    ``role`` is "D", "G" or "D and G" (by the network's or the optimiser's name; an optimiser neither name ties to
    D or G, ``optimizer`` on ``model.parameters()``, is another model's: held-out batch 533/00's VAE feature
    extractor, trained in an earlier cell, was read as G's). None where every stepped optimiser is zeroed, where
    one is zeroed under a name the code never built (``opt.zero_grad()`` in a helper taking it as an argument: the
    code may zero it), or where no optimiser is built so."""
    built = {_unprefixed(m.group(1)): _unprefixed(m.group(2)) for _, ln in lines if (m := _OPTIMISER.match(ln))}
    if not built:
        return None
    stepped: dict[str, tuple[int, str]] = {}
    zeroed: set[str] = set()
    for k, ln in lines:
        if _GRAD_CLEARED.search(ln):
            return None
        for m in _STEPPED.finditer(ln):
            name = _unprefixed(m.group(1) or m.group(2))
            if name in built:
                stepped.setdefault(name, (k, ln))
        zeroed |= {_unprefixed(m.group(1)) for m in _ZEROED.finditer(ln)}
    nets = set(built.values())
    # a zero_grad on a name the code built no optimiser or network as may be any of them
    if any(z not in built and z not in nets and not any(n.startswith(z + ".") for n in nets) for z in zeroed):
        return None
    # (another optimiser built on the same network zeroes its gradients too: held-out batch 598/04's g_optimizer, built
    # on the discriminator's parameters, cleared D's gradients every step though d_optimizer.zero_grad() is never called)
    zeroed_nets = {built[z] for z in zeroed if z in built}
    missing = [(opt, net) for opt, net in built.items() if opt in stepped and opt not in zeroed
               and net not in zeroed | zeroed_nets and not any(net.startswith(z + ".") for z in zeroed)
               and any(role.search(name) for role in (_D_NET, _G_NET) for name in (opt, net))]
    if not missing:
        return None
    roles = sorted({"D" if _D_NET.search(net) or _D_NET.search(opt) else "G" for opt, net in missing})
    steps = " and ".join(f"{opt} ({_quote(*stepped[opt])}), built on {net}.parameters()," for opt, net in missing)
    nots = "; ".join(f"no {opt}.zero_grad() nor {net}.zero_grad()" for opt, net in missing)
    return (" and ".join(roles), f"the notebook's code steps {steps} and never zeroes "
                                 f"{'its' if len(missing) == 1 else 'their'} gradients ({nots})")


# a step on a name the code built no optimiser as ("optimizer.step()" in a helper taking it as an argument, "o.step()" in
# a loop over the optimisers) may step any of them; a learning-rate scheduler's steps none
_SCHEDULER = re.compile(r"(?i)sched|lr|warm")


def unstepped_optimiser_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """(role, why) where the code builds PyTorch optimisers on two networks' parameters, steps one of them and never
    the other (``opt_gen = optim.Adam(gen.parameters())`` and no ``opt_gen.step()`` nor ``scaler.step(opt_gen)``):
    that network's weights never change, whatever its losses read as (the code zeroes that optimiser's or network's
    gradients, so it meant to train it). ``role`` is "D" or "G". None where every built optimiser is stepped, where
    none is (a framework steps them: Lightning, Keras), or where a step is called on a name the code built no
    optimiser as (it may be any of them)."""
    built = {_unprefixed(m.group(1)): _unprefixed(m.group(2)) for _, ln in lines if (m := _OPTIMISER.match(ln))}
    if len(built) < 2:
        return None
    stepped: set[str] = set()
    zeroed: set[str] = set()
    for _, ln in lines:
        zeroed |= {_unprefixed(m.group(1)) for m in _ZEROED.finditer(ln)}
        for m in _STEPPED.finditer(ln):
            name = _unprefixed(m.group(1) or m.group(2))
            if name in built:
                stepped.add(name)
            elif not _SCHEDULER.search(name) and name not in set(built.values()):
                return None
    never = [(opt, net) for opt, net in built.items() if opt not in stepped]
    if not stepped or len(never) != 1:
        return None
    (opt, net), = never
    if opt not in zeroed and net not in zeroed:
        return None         # never zeroed either: built and left unused (a class's own optimiser), no training meant
    # a network named for neither is another model's (held-out batch 564/01: a text-to-image GAN's "optimizer_TE" on
    # its text encoder, frozen on purpose, was read as G's)
    d_named, g_named = (_D_NET.search(net) or _named_for(_D_NET, opt)), (_G_NET.search(net) or _named_for(_G_NET, opt))
    if bool(d_named) == bool(g_named):
        return None
    role = "D" if d_named else "G"
    where = next(_quote(k, ln) for k, ln in lines if (m := _OPTIMISER.match(ln)) and _unprefixed(m.group(1)) == opt)
    return role, (f"the notebook's code builds {opt} on {net}.parameters() ({where}) and never steps it (no "
                  f"{opt}.step()), while it steps {', '.join(sorted(stepped))}: {role}'s weights never change")


def crossed_optimiser_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """(role, why) where the code builds an optimiser named for one network on the other network's parameters and
    no optimiser on the first's (``optimizer_d = Adam(params=generator.parameters(), ..)`` beside ``optimizer_g`` on G's
    too): the named network has no optimiser, so it never trains (held-out batch 272: its losses sat near ln 2 for 200
    epochs and read healthy). ``role`` is "D" or "G". None where each network has an optimiser of its own."""
    built = {_unprefixed(m.group(1)): (_unprefixed(m.group(2)), k, ln) for k, ln in lines if (m := _OPTIMISER.match(ln))}
    nets = {"D": {net for net, _, _ in built.values() if _D_NET.search(net) and not _G_NET.search(net)},
            "G": {net for net, _, _ in built.values() if _G_NET.search(net) and not _D_NET.search(net)}}
    for role, other in (("D", "G"), ("G", "D")):
        named = _D_NET if role == "D" else _G_NET
        for opt, (net, k, ln) in built.items():
            # (held-out batch 563/04: "optimizerG = optim.Adam(netD.parameters(), ..)" under the tutorial's names)
            if _named_for(named, opt) and net in nets[other] and not nets[role]:
                return role, (f"the notebook's code builds {opt} on {net}.parameters() ({_quote(k, ln)}) and no "
                              f"optimiser on {role}'s parameters: {role}'s weights never change")
    return None


#: a loss given ``requires_grad`` by assignment (``disc_loss.requires_grad = True``), which PyTorch allows only on a
#: tensor no computation made (a leaf): the loss has no graph back to any network
_LOSS_REQUIRES_GRAD = re.compile(r"^\s*([A-Za-z_][\w.]*)\.requires_grad\s*=\s*True\b")
_LOSS_WORD = re.compile(r"(?i)loss|err|cost")


def detached_loss_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """(role, why) where the code sets ``requires_grad = True`` on a loss it calls ``backward()`` on
    (``disc_loss.requires_grad = True; disc_loss.backward()``): PyTorch lets that attribute be set only on a tensor no
    computation made, so the loss was cut from the networks (computed under ``no_grad``, from ``.detach()``-ed or
    ``.item()`` values, or rebuilt with ``torch.tensor(..)``) and its ``backward()`` reaches no weight: the network
    it should train never changes (the usual "fix" for "element 0 of tensors does not require grad"). Held-out batch
    510/04: D's loss sat at 1.38 and G's at 0.81 for 3,166 batches beside noise, read healthy. ``role`` is "D",
    "G" or "D and G" (by the losses' names; "a network" where they name none)."""
    found: dict[str, tuple[int, str]] = {}
    for k, ln in lines:
        if (m := _LOSS_REQUIRES_GRAD.match(ln)) and _LOSS_WORD.search(m.group(1).rsplit(".", 1)[-1]):
            name = m.group(1)
            backward = re.compile(rf"(?<![\w.]){re.escape(name)}\.backward\s*\(")
            if any(backward.search(other) for _, other in lines):
                found.setdefault(name, (k, ln))
    if not found:
        return None
    roles = sorted({"D" if _D_NET.search(n) or re.search(r"D$", n) else "G" if _G_NET.search(n) or re.search(r"G$", n)
                    else "" for n in found} - {""})
    where = "; ".join(_quote(*found[n]) for n in found)
    return (" and ".join(roles) or "a network",
            f"the notebook's code sets requires_grad on its loss by hand ({where}), which PyTorch allows only on a "
            "tensor no computation made: the loss has no graph back to the networks, so its backward() reaches no "
            "weight and " + (f"{' and '.join(roles)} never {'changes' if len(roles) == 1 else 'change'}" if roles
                              else "the network it should train never changes"))


# a print of bare values, no words: "print(d_loss1, d_loss2, g_loss)", Python 2's "print d_l, g_l",
# "print(float(d_loss), g_loss.item())"
# (also a total over its count: "total_g_loss / batch_size", held-out batch 554/08; a tensor's value as PyTorch 0.3
# read it, "g_error.data", "g_error.data[0]", held-out batch 588/08)
# (and the mean of a list of the steps' values: "print(epoch, np.mean(d_losses), np.mean(g_losses))", held-out batch
# 699/03)
_VALUE = (r"(?:float\(\s*)?(?:(?:np|numpy|torch|statistics)\.mean\(\s*)?([A-Za-z_]\w*)(?:\[\d+\])?"
          r"(?:\.(?:item|numpy|cpu|detach)\(\)|\.data\b(?:\[\d+\])?)*"
          r"(?:\s*[/*]\s*(?:len\(\s*[\w.]+\s*\)|[A-Za-z_][\w.]*|\d+(?:\.\d+)?))?(?:\s*\)){0,2}")
_BARE_PRINT = re.compile(r"^\s*print(?:\s*\(|\s)\s*" + _VALUE + r"(?:\s*,\s*" + _VALUE + r")+\s*\)?\s*$")
_NAMES_IN_PRINT = re.compile(_VALUE)
# names no alias covers: machinelearningmastery's d_loss1 / d_loss2 (D on the real half, then the fake half)
_SHORT_NAMES = ((re.compile(r"(?i)^(?:d|disc)_?(?:loss|l|err|cost)?_?1$"), "d_loss_real"),
                (re.compile(r"(?i)^(?:d|disc)_?(?:loss|l|err|cost)?_?2$"), "d_loss_fake"),
                (re.compile(r"(?i)^(?:d|disc)_(?:l|ls|err|cost)$"), "d_loss"),
                (re.compile(r"(?i)^(?:g|gen)_(?:l|ls|err|cost)$"), "g_loss"),
                # FelixMohr's TF1 DCGAN tutorial: "print(i, d_ls, g_ls, d_real_ls, d_fake_ls)"
                (re.compile(r"(?i)^(?:d|disc)_real_(?:l|ls|err|cost)$"), "d_loss_real"),
                (re.compile(r"(?i)^(?:d|disc)_fake_(?:l|ls|err|cost)$"), "d_loss_fake"))


# a print whose labels name no column while the values it prints are named as D's and G's losses:
# "print('>%d, d1=%.3f, d2=%.3f' % (epoch+1, d_loss, g_loss))", f"d1={d_loss:.3f}", "'d1={:.3f}'.format(d_loss)"
_LITERAL = re.compile(r"""\s*(?:[rRbB]?([fF])[rRbB]?|[rRbB]{0,2})(['"])((?:\\.|(?!\2).)*)\2""")
_PCT_SPEC = re.compile(r"%[-+ 0#]*(?:\d+|\*)?(?:\.\d+)?[sdifgeEr]")
_FMT_FIELD = re.compile(r"\{([^{}]*)\}")
# (an index in brackets ends a label: "Descriminator Loss[1]: {d_loss1:.3f}", held-out batch 712/00)
_LABEL_END = re.compile(r"([A-Za-z][A-Za-z0-9_]*(?:[ _][A-Za-z][A-Za-z0-9_]*)*(?:\[\d{1,2}\])?)\s*[:=]?\s*[\[(]?\s*$")
_PLAYER_COLUMNS = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake")


def _outside_strings(text: str):
    """(position, character, bracket depth before it) of each character of ``text`` outside its string literals."""
    depth, quote = 0, None
    for at, ch in enumerate(text):
        if quote or ch in "'\"":
            quote = (None if ch == quote else quote) if quote else ch
            continue
        yield at, ch, depth
        depth += (ch in "([{") - (ch in ")]}")


def _top_level_split(text: str) -> list[str]:
    """``text`` split at its commas outside brackets and strings."""
    cuts = [at for at, ch, depth in _outside_strings(text) if ch == "," and depth == 0]
    out = [text[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(text)])]
    return out if out[-1].strip() else out[:-1]


def _call_rest(text: str) -> str:
    """``text``, the rest of a call after its opening bracket, up to that call's own closing bracket (brackets and
    strings inside it kept whole)."""
    end = next((at for at, ch, depth in _outside_strings(text) if ch in ")]}" and depth == 0), len(text))
    return text[:end]


def _value_column(expr: str) -> str | None:
    """Which of D's and G's loss columns the printed expression ``expr`` holds, by the names in it (``d_loss.item()``,
    ``float(g_loss)``, ``np.mean(loss_D)``); None where it names none of them or more than one."""
    from ganalyze.runlog.schema import canonical_column

    found = {col for name in re.findall(r"[A-Za-z_]\w*", expr)
             if (col := canonical_column(name) or next((c for pat, c in _SHORT_NAMES if pat.match(name)), None))
             in _PLAYER_COLUMNS}
    return found.pop() if len(found) == 1 else None


def _print_fields(line: str) -> list[tuple[str | None, str]]:
    """(the label printed before it, the expression printed) for each value a print's format string places:
    %-formatting, ``str.format`` and f-strings; empty where the line is no such print."""
    at = line.find("print(")
    if at < 0:
        return []
    rest, pos, fmt, fstring = line[at + len("print("):], 0, "", False
    while (m := _LITERAL.match(rest, pos)) is not None:        # adjacent literals join
        fmt, fstring, pos = fmt + m.group(3), fstring or bool(m.group(1)), m.end()
    if not fmt:
        return []
    tail = _call_rest(rest[pos:]).strip()
    if fstring:
        fields, exprs, last = [], [], 0
        for f in _FMT_FIELD.finditer(fmt):
            fields.append(fmt[last:f.start()])
            exprs.append(re.split(r"(?<![=!<>]):(?!=)|!r|!s", f.group(1))[0])
            last = f.end()
    elif tail.startswith("%"):
        spec = (_top_level_split(tail[1:]) or [""])[0].strip()       # the %-operand, not print's end= / file=
        args = _top_level_split(_call_rest(spec[1:]) if spec.startswith("(") else spec)
        parts = _PCT_SPEC.split(fmt)
        fields, exprs = parts[:-1], args
    elif tail.startswith(".format("):
        parts = _FMT_FIELD.split(fmt)
        fields, exprs = parts[0::2][:-1], _top_level_split(_call_rest(tail[len(".format("):]))
    else:
        return []
    if len(fields) != len(exprs):
        return []
    return [((m.group(1).strip() if (m := _LABEL_END.search(text)) else None), expr.strip())
            for text, expr in zip(fields, exprs)]


def labelled_print_columns(cells: list[tuple[int, str]]) -> list[tuple[dict, str]]:
    """Every print in the code whose labels name no column of ours but whose values are named D's and G's losses,
    as ``({our column: the label}, why)``: "print('>%d, d1=%.3f, d2=%.3f' % (epoch+1, d_loss, g_loss))" names its
    'd1' D's loss and its 'd2' G's (held-out batches 535/09 and 538/01: refused, the labels being the tutorial's
    d1 / d2 for D's two halves). Only where D's loss (or its two terms) and G's are both named."""
    from ganalyze.runlog.schema import canonical_column

    found = {}
    for k, ln in code_lines(cells):
        cols, named = {}, set()
        for label, expr in _print_fields(ln):
            if label is not None and (known := canonical_column(label)) is not None:
                named.add(known)        # (a label of ours beside them: "GAN loss: {g_loss:.3f}")
                continue
            if label is None or (col := _value_column(expr)) is None:
                continue
            cols.setdefault(col, label)
        has_d = "d_loss" in cols or {"d_loss_real", "d_loss_fake"} <= set(cols)
        if has_d and "g_loss" in set(cols) | named and len(set(cols.values())) == len(cols):
            found.setdefault(tuple(sorted(cols.items())), (cols, f"the notebook's code prints them: {_quote(k, ln)}"))
    return list(found.values())


def _run_counter(lines: list[tuple[int, str]], pos: int, name: str) -> bool:
    """Whether ``name`` at line ``pos`` counts the run's iterations: bound by the nearest loop around it, over a
    ``range(..)``, and no loop around that one counts epochs (a batch index within an epoch restarts)."""
    indent = len(lines[pos][1]) - len(lines[pos][1].lstrip())
    bound = False
    for _, above in reversed(lines[:pos]):
        f = _FOR.match(above)
        if f is None or len(f.group(1).expandtabs()) >= indent:
            continue
        indent = len(f.group(1).expandtabs())
        targets = re.findall(r"\w+", f.group(2))
        if not bound:
            if name not in targets or not f.group(3).lstrip().startswith("range("):
                return False
            bound = True
        elif any(_EPOCHISH.search(t) for t in targets):
            return False
    return bound


def bare_print_columns(cells: list[tuple[int, str]]) -> list[tuple[dict, int, str]]:
    """Every print of bare values in the code whose names say which is D's loss and which G's, as
    ``({our column: position "1", "2", ..}, values printed, why)``: "print(d_loss1, d_loss2, g_loss)" names the three numbers
    of each row it printed. Positions whose name is no loss, step or epoch are left out."""
    from ganalyze.runlog.formats.columns import fallback_names
    from ganalyze.runlog.schema import canonical_column

    found = {}
    lines = code_lines(cells)
    for at, (k, ln) in enumerate(lines):
        if not _BARE_PRINT.match(ln):
            continue
        names = [m.group(1) for m in _NAMES_IN_PRINT.finditer(ln.strip()[len("print"):])]
        # (a prefix as the readers strip it: "print(epoch, average_d_loss, average_g_loss)", held-out batch 452/10)
        ours = [canonical_column(n) or next((col for pat, col in _SHORT_NAMES if pat.match(n)), None)
                or next((c for f in fallback_names(n) if (c := canonical_column(f)) is not None), None) for n in names]
        if "epoch" not in ours and "step" not in ours and names and _run_counter(lines, at, names[0]):
            ours[0] = "step"        # "print(i, d_ls, g_ls)" under "for i in range(10000):": the iteration
        columns = {col: str(pos + 1) for pos, col in enumerate(ours) if col is not None}
        has_d = "d_loss" in columns or {"d_loss_real", "d_loss_fake"} <= set(columns)
        if has_d and "g_loss" in columns and len(columns) == len([c for c in ours if c is not None]):
            found.setdefault((tuple(sorted(columns.items())), len(names)),
                             (columns, len(names), f"the notebook's code prints them: {_quote(k, ln)}"))
    return list(found.values())


_TARGETS = re.compile(r"^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)\s*\S")     # top-level "a, b = .."
_DEF_HEAD = re.compile(r"^(\s*)def\s+(\w+)\s*\(([^)]*)\)?")
_IDENT = re.compile(r"\b[A-Za-z_]\w*\b")


# a run's own cell passes the least-squares losses by name: CS231n's "run_a_gan(D_LS, G_LS, D_LS_solver, G_LS_solver,
# ls_discriminator_loss, ls_generator_loss)", the functions in a .py file beside the notebook (held-out batches 328,
# 334 and 340: those runs read as the BCE of the notebook's earlier cells)
_LS_BY_NAME = re.compile(r"\b(?:ls|lsgan|least_squares?)_(?:discriminator|generator|disc|gen|d|g)_loss\b")


def loss_name_hint(lines: list[tuple[int, str]]) -> tuple[str, str] | None:
    """``("lsgan", why)`` where a statement (not a definition or an import) uses both least-squares losses by name
    (``ls_discriminator_loss`` and ``ls_generator_loss``); None otherwise. Meant for a run's own cells: a later run of
    the same notebook that passes other losses must not inherit it."""
    for k, ln in lines:
        names = {m.group(0) for m in _LS_BY_NAME.finditer(ln)}
        if len(names) >= 2 and not re.match(r"\s*(?:def|from|import)\b", ln):
            return "lsgan", f"the run's own cell: {_quote(k, ln)}: least-squares losses by name (LSGAN)"
    return None


def run_code(cells: list[tuple[int, str]], run_cells: set[int], depth: int = 3) -> list[tuple[int, str]]:
    """The code of one run of a notebook that trains several (cs231n's vanilla GAN, then LSGAN, then DCGAN,
    each a call "run_a_gan(D, G, .., ls_discriminator_loss, ls_generator_loss)"): its own cells (``run_cells``)
    and the bodies of the functions they call, and those call, ``depth`` deep, as ``(cell, source)``. A
    function's own parameters are no calls: run_a_gan's parameter "discriminator_loss" is whatever the run
    passed, not the notebook's function of that name; nor is a name the notebook defines twice (two classes'
    "train_model")."""
    defs: dict[str, tuple[int, list[str], set[str]]] = {}
    twice: set[str] = set()
    for k, src in cells:
        lines = src.splitlines()
        for i, ln in enumerate(lines):
            if (m := _DEF_HEAD.match(ln)) is None:
                continue
            indent, body = len(m.group(1).expandtabs()), []
            for nxt in lines[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                body.append(nxt)
            params = {p.split("=")[0].strip(" *:") for p in (m.group(3) or "").split(",")}
            twice.update([m.group(2)] if m.group(2) in defs else [])
            defs[m.group(2)] = (k, [ln] + body, {p.split(":")[0].strip() for p in params if p})
    for name in twice:        # a method two classes define ("train_model" of a GAN and of a WGAN): which one is
        del defs[name]        # called, the call does not say
    out = [(k, src) for k, src in cells if k in run_cells]
    # a name the run's cells use that an earlier cell assigns, its last assignment before them: TensorFlow 1's
    # "D_loss, G_loss = lsgan_loss(logits_real, logits_fake)" a cell above "run_a_gan(sess, .., D_loss, ..)"
    first = min(run_cells, default=0)
    assigned: dict[str, tuple[int, str]] = {}
    for k, src in cells:
        if k >= first:
            break
        for ln in src.splitlines():
            if (m := _TARGETS.match(ln)) is not None:
                for name in m.group(1).split(","):
                    assigned[name.strip()] = (k, ln)
    used = {w for _, src in out for w in _IDENT.findall(_COMMENT.sub("", src))}
    out += sorted({assigned[w] for w in used if w in assigned})
    seen: set[str] = set()
    frontier = {w for _, src in out for w in _IDENT.findall(_COMMENT.sub("", src))} & defs.keys()
    for _ in range(depth):
        nxt_names: set[str] = set()
        for name in sorted(frontier - seen):
            seen.add(name)
            k, body, params = defs[name]
            out.append((k, "\n".join(body)))
            nxt_names |= ({w for ln in body for w in _IDENT.findall(_COMMENT.sub("", ln))} - params) & defs.keys()
        frontier = nxt_names - seen
    return out


def _lsgan_g_line(lines: list[tuple[int, str]]) -> tuple[int, str] | None:
    """(cell, line) of G's least-squares loss written out ("G_loss = 0.5 * tf.reduce_mean((scores_fake - 1)**2)"),
    where every such line agrees on a 0.5 (or on none); None otherwise."""
    found, in_g_function = {}, False
    for k, ln in lines:
        if (f := _DEF.match(ln)) is not None:
            in_g_function = bool(_G_FUNCTION.search(f.group(1)))
        m = _G_TARGET.match(ln) or (in_g_function and (_RETURN.match(ln) or _ASSIGN.match(ln))) or None
        if m and _FAMILIES_BY_NAME["lsgan-written"].search(m.group(m.lastindex)):
            found.setdefault(bool(_HALF_SQUARE.search(m.group(m.lastindex))), (k, ln))
    return next(iter(found.values())) if len(found) == 1 else None


def _lsgan_from_g(out: dict, k: int, ln: str) -> None:
    """LSGAN's half or plain terms as G's own loss line says (G's level has no other reading), D's reduction
    restated so that D's level stays what its code computes: "D_loss = 0.5 * (real_sq + fake_sq)" beside
    "G_loss = 0.5 * (..)" is the paper's half terms summed, beside a plain G loss a mean of plain terms."""
    half = bool(_HALF_SQUARE.search(ln))
    terms = out.get("code_lsgan_terms", ("plain",))[0]
    red = out.get("code_d_loss_reduction", (None,))[0]
    if red is None or (terms == "half") == half:
        if (terms == "half") != half:
            out["code_lsgan_terms"] = (("half" if half else "plain"), f"G's loss in the notebook's code: {_quote(k, ln)}")
        return
    d_factor = (0.5 if terms == "half" else 1.0) * (0.5 if red == "mean" else 1.0)     # D's level per plain term
    new_red = "sum" if d_factor == (0.5 if half else 1.0) else "mean" if d_factor == (0.25 if half else 0.5) else None
    if new_red is None:
        return
    out["code_lsgan_terms"] = (("half" if half else "plain"), f"G's loss in the notebook's code: {_quote(k, ln)}")
    reading = {("half", "sum"): "the LSGAN paper's half terms added", ("half", "mean"): "the mean of half terms",
               ("plain", "sum"): "plain terms added", ("plain", "mean"): "the mean of plain terms"}
    terms_now = "half" if half else "plain"
    out["code_d_loss_reduction"] = (new_red, f"{out['code_d_loss_reduction'][1].rsplit(': ', 1)[0]}: {terms_now} squared "
                                             f"errors as G's loss has them ({_quote(k, ln)}), so D's loss is "
                                             f"{reading[terms_now, new_red]}")


def code_hints(cells: list[tuple[int, str]]) -> dict:
    """The run metadata a notebook's code cells (``(cell number, source)``) suggest: ``code_loss`` and
    ``code_d_loss_reduction`` and ``code_averaged`` as ``(value, why)``, ``g_loss_composite`` as its reason,
    ``code_lsgan_terms`` (``("plain", why)``) with an LSGAN family, ``code_print_every`` (iterations between
    prints), ``code_label_smoothing`` (1 - the real target) and ``code_label_noise`` (the width of uniform noise
    moving both sides' targets towards each other) and ``code_label_noise_beyond`` (the width of uniform noise added
    to targets holding ones: targets above 1) as ``(value, why)``; only the keys found."""
    lines = code_lines(cells)
    printed = _printed_names(lines)
    out: dict = {}
    comp = g_composite_hint(lines, printed)
    # (MSE alone beside a G loss holding content terms is that content loss, not LSGAN: SRGAN copies whose D
    # loss is 1 - D(x) + D(G(z)) name no other loss; unless the MSE is named the adversarial criterion, pix2pix's
    # "criterion_GAN = torch.nn.MSELoss()" beside its L1 pixel term)
    if (fam := family_hint(lines)) is not None and not (fam[0] == "lsgan" and comp is not None
                                                        and not _ADVERSARIAL_CRITERION.match(fam[2])):
        name, k, ln = fam
        where = f"the notebook's code: {_quote(k, ln)}"
        out["code_loss"] = (name, f"{where}: {_FAMILY_WORDS[name]}")
        if name == "lsgan":       # MSELoss, 'mse': (D - target)^2 without the LSGAN paper's 1/2
            out["code_lsgan_terms"] = (("half", f"{where}: Keras' loss_weights=[0.5] or a written 0.5 * halves D's "
                                                "squared error, the LSGAN paper's 1/2 (D - target)^2")
                                       if _HALF_WEIGHT.search(ln) or _HALF_SQUARE.search(ln) else
                                       ("plain", f"{where}: mean squared error, (D - target)^2 without the LSGAN "
                                                 "paper's 1/2"))
    if (red := reduction_hint(lines, printed, with_line=True)) is not None:
        out["code_d_loss_reduction"] = red
        halves = len(_HALF_SQUARE.findall(red[2]))
        if out.get("code_loss", ("",))[0] == "lsgan" and red[0] == "mean" and halves >= 2:
            # "D_loss = 0.5 * mean((s_real - 1) ** 2) + 0.5 * mean(s_fake ** 2)" (cs231n): the paper's half terms,
            # added; its G loss is half too
            out["code_d_loss_reduction"] = ("sum", f"the notebook's code: {_quote(red[3], red[2])}: D's two half "
                                                   "squared errors, the LSGAN paper's, added")
            out["code_lsgan_terms"] = ("half", f"the notebook's code: {_quote(red[3], red[2])}: the LSGAN paper's "
                                               "1/2 (D - target)^2")
        elif fam is not None and out.get("code_lsgan_terms", ("",))[0] == "half" and red[0] == "mean" and halves == 1:
            # "d_loss = 0.5 * (mean((d_real - 1) ** 2) + mean(d_fake ** 2))": one 0.5, read once (a mean of plain
            # terms; the same levels as the paper's half terms added), also where the half was read from G's line
            # ("torch.mean((scores_fake - 1).pow(2)) / 2": then _lsgan_from_g makes it the half terms added)
            out["code_lsgan_terms"] = ("plain", out["code_lsgan_terms"][1].replace(
                "Keras' loss_weights=[0.5] or a written 0.5 * halves D's squared error, the LSGAN paper's 1/2 "
                "(D - target)^2", "its 0.5 is the mean of D's two plain squared errors"))
        out["code_d_loss_reduction"] = out["code_d_loss_reduction"][:2]
    if out.get("code_loss", ("",))[0] == "lsgan" and (g_line := _lsgan_g_line(lines)) is not None:
        _lsgan_from_g(out, *g_line)
    if comp is not None:
        out["g_loss_composite"] = comp
    if (avg := averaged_hint(lines)) is not None:
        out["code_averaged"] = avg
    if (summed := summed_rows_hint(lines)) is not None:
        out["code_summed_rows"] = summed
    if (every := print_every_hint(lines)) is not None:
        out["code_print_every"] = every
    if (epochs := true_epochs_hint(lines)) is not None:
        out["code_true_epochs"] = epochs
    if (smooth := label_smoothing_hint(lines)) is not None:
        out["code_label_smoothing"] = smooth
    if (swapped := swapped_print_hint(lines)) is not None:
        out["code_swapped_print"] = swapped
    if (fake := fake_label_hint(lines)) is not None:
        out["code_fake_label"] = fake
    if (noise := label_noise_hint(lines)) is not None:
        out["code_label_noise"] = noise
    if (beyond := label_noise_beyond_hint(lines)) is not None:
        out["code_label_noise_beyond"] = beyond
    if (unzeroed := unzeroed_optimiser_hint(lines)) is not None:
        out["code_unzeroed_optimiser"] = unzeroed
    if (unstepped := unstepped_optimiser_hint(lines)) is not None:
        out["code_unstepped_optimiser"] = unstepped
    if (crossed := crossed_optimiser_hint(lines)) is not None:
        out["code_crossed_optimiser"] = crossed
    if (detached := detached_loss_hint(lines)) is not None:
        out["code_detached_loss"] = detached
    return out
