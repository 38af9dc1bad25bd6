"""Batched evaluation of both players' losses on an (α, β) grid.

α moves the generator, ``θ_G + α·d_G``; β moves the discriminator, ``θ_D + β·d_D``. Every grid
point is evaluated on the same noise batch ``z`` and the same real batch ``x``, so the surface
is deterministic. Weights are never reloaded: parameters are built in memory with
``torch.func.functional_call`` and evaluated for many grid points at once with ``torch.func.vmap``.

Structure that is exploited (all exact up to float rounding):

1. G's output depends only on α: ``G_α(z)`` is computed once per α (``grid`` generator passes,
   not ``grid²``), vmapped over chunks of α.
2. ``D_β(x)`` on the real batch depends only on β: once per β.
3. When D's first layer is a plain ``nn.Linear``/``nn.Conv*d`` applied to the (reshaped) input,
   it is affine in its parameters: ``L(x; W+β·dW, b+β·db) = L(x; W, b) + β·L(x; dW, db)``. Both
   terms are computed once per α (two passes of the first layer instead of one per grid
   point), and only the remaining layers run per (α, β). For the seed-000 MLP discriminator
   this skips 75 % of D's multiply-adds per grid point. The split is detected and verified
   at run time (see :func:`find_first_affine_layer`); otherwise the whole of D is vmapped.

Modules are evaluated in whatever train/eval mode they are in (the surface uses eval mode,
i.e. BatchNorm running statistics, see :mod:`ganalyze.surface.api`).
"""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch
from torch import nn
from torch.func import functional_call, vmap

from ganalyze.surface.objectives import Objective

_AFFINE_FIRST = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
_RESHAPE_ONLY = (nn.Flatten, nn.Unflatten, nn.Identity)
DEFAULT_CHUNK_BYTES = 512 * 2**20


@dataclass(frozen=True)
class GridValues:
    """Losses on the grid; rows index α (generator axis), columns β (discriminator axis).

    ``d_loss = d_loss_real + d_loss_fake`` (the trainer's sum convention); the value function
    the discriminator maximises is ``V = −d_loss``.
    """

    alphas: torch.Tensor  # (A,)
    betas: torch.Tensor  # (B,)
    g_loss: torch.Tensor  # (A, B)
    d_loss: torch.Tensor  # (A, B)
    d_loss_real: torch.Tensor  # (B,)  independent of α
    d_loss_fake: torch.Tensor  # (A, B)
    first_layer_split: str | None  # name of D's first layer when the affine split was used


@dataclass(frozen=True)
class FirstLayer:
    """D's first layer, affine in its parameters, applied to the input reshaped to ``in_shape``."""

    path: str
    module: nn.Module
    in_shape: tuple[int, ...]  # per-sample shape of the layer's input


def _leaf_modules(module: nn.Module):
    return [(n, m) for n, m in module.named_modules() if next(m.children(), None) is None]


def find_first_affine_layer(disc: nn.Module, x: torch.Tensor) -> FirstLayer | None:
    """Return D's first layer if the affine split is exact for this network, else ``None``.

    Conditions, checked on a forward pass over ``x``: the first leaf module called (after
    parameter-free reshapes: ``nn.Flatten``, ``nn.Unflatten``, ``nn.Identity``) is exactly
    ``nn.Linear``/``nn.Conv1d/2d/3d`` (not a subclass, so parametrised or spectral-normed
    layers are excluded), it is called once, its input is the network's input merely reshaped
    (same values in the same order), and every parameter of D lives in a leaf module (so no
    parameter can act before the first layer).
    """
    leaves = _leaf_modules(disc)
    leaf_names = {n for n, _ in leaves}
    for pname, _ in disc.named_parameters():
        owner = pname.rsplit(".", 1)[0] if "." in pname else ""
        if owner not in leaf_names:
            return None
    calls: list[tuple[str, nn.Module, tuple]] = []
    hooks = [
        m.register_forward_pre_hook(lambda mod, args, _n=n: calls.append((_n, mod, args)))
        for n, m in leaves
    ]
    try:
        with torch.no_grad():
            disc(x)
    finally:
        for h in hooks:
            h.remove()
    calls = [c for c in calls if type(c[1]) not in _RESHAPE_ONLY]  # nn.Flatten etc. only reshape
    if not calls:
        return None
    name, mod, args = calls[0]
    if type(mod) not in _AFFINE_FIRST or sum(1 for c in calls if c[0] == name) != 1 or not args:
        return None
    u = args[0]
    if not isinstance(u, torch.Tensor) or u.numel() != x.numel() or u.shape[0] != x.shape[0]:
        return None
    if not torch.equal(u.reshape(-1), x.reshape(-1)):
        return None
    return FirstLayer(path=name, module=mod, in_shape=tuple(u.shape[1:]))


class _Injected(nn.Module):
    """Stands in for D's first layer: returns the pre-computed output passed as buffer ``value``."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("value", torch.empty(0), persistent=False)

    def forward(self, *args, **kwargs):  # noqa: ARG002 - the input is already accounted for
        return self.value


def _replace_submodule(root: nn.Module, path: str, new: nn.Module) -> None:
    parent_path, _, child = path.rpartition(".")
    parent = root.get_submodule(parent_path) if parent_path else root
    setattr(parent, child, new)


def _activation_bytes_per_sample(module: nn.Module, x: torch.Tensor) -> int:
    """Bytes of all leaf-module outputs for one sample (a proxy for vmap's working memory)."""
    total = [0]

    def hook(_m, _a, out):
        if isinstance(out, torch.Tensor):
            total[0] += out[:1].numel() * out.element_size()

    hooks = [m.register_forward_hook(hook) for _, m in _leaf_modules(module)]
    try:
        with torch.no_grad():
            module(x[:1])
    finally:
        for h in hooks:
            h.remove()
    return max(total[0], x[:1].numel() * x.element_size())


def _chunk_size(n_points: int, n_samples: int, act_bytes: int, param_bytes: int, budget: int) -> int:
    per_point = 3 * n_samples * act_bytes + param_bytes  # 3x: intermediates alive at once
    return int(max(1, min(n_points, budget // max(per_point, 1))))


class _Player:
    """A network with its parameters, buffers and direction, evaluated functionally."""

    def __init__(self, net: nn.Module, direction: Mapping[str, torch.Tensor]):
        self.net = net
        self.params = {n: p.detach() for n, p in net.named_parameters()}
        self.buffers = {n: b.detach() for n, b in net.named_buffers()}
        missing = set(self.params) - set(direction)
        if missing:
            raise ValueError(f"direction lacks parameters {sorted(missing)[:3]}")
        self.direction = {n: direction[n].to(self.params[n]) for n in self.params}


def evaluate_grid(
    gen: nn.Module,
    disc: nn.Module,
    dir_g: Mapping[str, torch.Tensor],
    dir_d: Mapping[str, torch.Tensor],
    alphas: torch.Tensor | Sequence[float],
    betas: torch.Tensor | Sequence[float],
    noise: torch.Tensor,
    real: torch.Tensor,
    objective: Objective,
    *,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    split_first_layer: bool = True,
    progress=None,
) -> GridValues:
    """Both players' losses on every (α, β); see the module docstring for how.

    ``noise`` (N, latent) and ``real`` (N, ...) live on the networks' device. ``progress`` is an
    optional callable taking the number of α rows finished (for a tqdm bar). Runs under
    ``torch.no_grad``; returns float64 CPU tensors.
    """
    device = noise.device
    dtype = next(iter(gen.parameters())).dtype
    a64 = torch.as_tensor(alphas, dtype=torch.float64).reshape(-1).cpu()  # reported as given
    b64 = torch.as_tensor(betas, dtype=torch.float64).reshape(-1).cpu()
    a_vals, b_vals = a64.to(device=device, dtype=dtype), b64.to(device=device, dtype=dtype)
    G = _Player(gen, dir_g)
    D = _Player(disc, dir_d)

    first = find_first_affine_layer(disc, real[:2]) if split_first_layer else None
    if first is not None:
        d_net = copy.deepcopy(disc)
        _replace_submodule(d_net, first.path, _Injected())
        prefix = first.path + "."
        rest_params = {n: p for n, p in D.params.items() if not n.startswith(prefix)}
        rest_dir = {n: D.direction[n] for n in rest_params}
        w_params = {n[len(prefix):]: p for n, p in D.params.items() if n.startswith(prefix)}
        w_dir = {n: D.direction[prefix + n] for n in w_params}
        value_key = prefix + "value"

        def first_layer_terms(x):
            u = x.reshape(x.shape[0], *first.in_shape)
            return functional_call(first.module, w_params, (u,)), functional_call(first.module, w_dir, (u,))
    else:
        d_net, rest_params, rest_dir = disc, D.params, D.direction

    def d_logits_over_betas(beta_chunk: torch.Tensor, x: torch.Tensor, terms) -> torch.Tensor:
        def one(beta):
            params = {n: p + beta * rest_dir[n] for n, p in rest_params.items()}
            if first is not None:
                params[value_key] = terms[0] + beta * terms[1]
            out = functional_call(d_net, (params, D.buffers), (x,))
            return out.reshape(x.shape[0])

        return vmap(one)(beta_chunk)

    def g_over_alphas(alpha_chunk: torch.Tensor) -> torch.Tensor:
        def one(alpha):
            params = {n: p + alpha * G.direction[n] for n, p in G.params.items()}
            return functional_call(gen, (params, G.buffers), (noise,))

        return vmap(one)(alpha_chunk)

    n = noise.shape[0]
    d_act = _activation_bytes_per_sample(disc, real)
    d_param_bytes = sum(p.numel() * p.element_size() for p in rest_params.values())
    # D runs on the fakes of several α at once (stacked along the sample axis: big GEMMs) for a
    # few β at a time (vmapped): a_chunk · b_chunk grid points per call, within the budget.
    d_rows = _chunk_size(len(a_vals), n, d_act, d_param_bytes, chunk_bytes)  # α per call at 1 β
    b_chunk = _chunk_size(len(b_vals), d_rows * n, d_act, d_param_bytes, chunk_bytes)
    with torch.no_grad():
        g_act = _activation_bytes_per_sample(gen, noise)
        g_param_bytes = sum(p.numel() * p.element_size() for p in G.params.values())
        g_chunk = _chunk_size(len(a_vals), n, g_act, g_param_bytes, chunk_bytes)

        real_terms = first_layer_terms(real) if first is not None else None
        real_logits = torch.cat(
            [d_logits_over_betas(bc, real, real_terms) for bc in b_vals.split(b_chunk)]
        )  # (B, N)
        d_loss_real = objective.d_real(real_logits)  # (B,)

        g_rows, d_fake_rows = [], []
        if progress is not None:
            progress(0)
        for ac in a_vals.split(d_rows):
            fakes = torch.cat([g_over_alphas(gc) for gc in ac.split(g_chunk)])  # (a, N, ...)
            stacked = fakes.reshape(len(ac) * n, *fakes.shape[2:])
            terms = first_layer_terms(stacked) if first is not None else None
            logits = torch.cat(
                [d_logits_over_betas(bc, stacked, terms) for bc in b_vals.split(b_chunk)]
            )  # (B, a·N)
            fake_logits = logits.reshape(len(b_vals), len(ac), n).transpose(0, 1)  # (a, B, N)
            g_rows.append(objective.g(fake_logits))
            d_fake_rows.append(objective.d_fake(fake_logits))
            if progress is not None:
                progress(len(ac))
        g_loss = torch.cat(g_rows)
        d_loss_fake = torch.cat(d_fake_rows)
    to64 = lambda t: t.detach().to("cpu", torch.float64)  # noqa: E731
    return GridValues(
        alphas=a64,
        betas=b64,
        g_loss=to64(g_loss),
        d_loss=to64(d_loss_fake + d_loss_real.unsqueeze(0)),
        d_loss_real=to64(d_loss_real),
        d_loss_fake=to64(d_loss_fake),
        first_layer_split=first.path if first is not None else None,
    )


def evaluate_grid_pointwise(
    gen: nn.Module,
    disc: nn.Module,
    dir_g: Mapping[str, torch.Tensor],
    dir_d: Mapping[str, torch.Tensor],
    alphas: torch.Tensor | Sequence[float],
    betas: torch.Tensor | Sequence[float],
    noise: torch.Tensor,
    real: torch.Tensor,
    objective: Objective,
) -> GridValues:
    """Reference: a sequential in-place walk, one grid point at a time (as ``loss-landscapes`` does).

    Copies both networks once, then for each point writes ``θ + t·d`` into the copies' parameters
    and runs G, D(fake) and D(real). Slow by design; used to check :func:`evaluate_grid` and as
    the benchmark's baseline (b).
    """
    g_net, d_net = copy.deepcopy(gen), copy.deepcopy(disc)
    G, D = _Player(gen, dir_g), _Player(disc, dir_d)
    a_vals = [float(a) for a in torch.as_tensor(alphas).reshape(-1)]
    b_vals = [float(b) for b in torch.as_tensor(betas).reshape(-1)]
    g_loss = torch.empty(len(a_vals), len(b_vals), dtype=torch.float64)
    d_fake = torch.empty_like(g_loss)
    d_real = torch.empty_like(g_loss)
    g_named = dict(g_net.named_parameters())
    d_named = dict(d_net.named_parameters())
    with torch.no_grad():
        for i, a in enumerate(a_vals):
            for j, b in enumerate(b_vals):
                for n, p in g_named.items():
                    p.copy_(G.params[n] + a * G.direction[n])
                for n, p in d_named.items():
                    p.copy_(D.params[n] + b * D.direction[n])
                fake_logits = d_net(g_net(noise)).reshape(1, -1)
                real_logits = d_net(real).reshape(1, -1)
                g_loss[i, j] = float(objective.g(fake_logits)[0])
                d_fake[i, j] = float(objective.d_fake(fake_logits)[0])
                d_real[i, j] = float(objective.d_real(real_logits)[0])
    return GridValues(
        alphas=torch.tensor(a_vals, dtype=torch.float64),
        betas=torch.tensor(b_vals, dtype=torch.float64),
        g_loss=g_loss,
        d_loss=d_fake + d_real,
        d_loss_real=d_real[0].clone(),
        d_loss_fake=d_fake,
        first_layer_split=None,
    )
