"""GPT-2 in PyTorch eager, written out as ModelDsl builds it, and its timed training step.

Shared by train_step.py (the suite's peer) and scaling_point.py (one point of the scaling sweep), so both measure the
same model and the same step.
"""
import math
import statistics
import time
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

PROMPT_TOKENS, LORA_RANK, LORA_ALPHA = 20, 8, 16


@dataclass(frozen=True)
class Shape:
    """A GPT-2 configuration and the training batch it runs on."""
    layers: int = 6
    dim: int = 384
    heads: int = 6
    vocab: int = 8192
    context: int = 512
    batch: int = 8
    sequence: int = 256


SMALL = Shape()   # the suite's model: BenchShapes.Small, batch 8 x 256


class Conv1D(nn.Module):
    """GPT-2's affine layer, weight stored [in, out]."""

    def __init__(self, n_in, n_out, std=0.02):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * std)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(*x.shape[:-1], -1)


class LoraConv1D(nn.Module):
    """y = base(x) + B(A(dropout(x))) * alpha / r, A Kaiming-uniform, B zero; dropout is the identity at p = 0."""

    def __init__(self, base, rank, alpha, dropout=0.0):
        super().__init__()
        n_in, n_out = base.weight.shape
        self.base = base
        self.lora_A = nn.Linear(n_in, rank, bias=False)
        self.lora_B = nn.Linear(rank, n_out, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(self.dropout(x))) * self.scaling


class Attention(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.heads = shape.heads
        self.c_attn = Conv1D(shape.dim, 3 * shape.dim)
        self.c_proj = Conv1D(shape.dim, shape.dim, 0.02 / math.sqrt(2 * shape.layers))

    def forward(self, x, cache=None):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))   # (B, H, T, hd)
        if cache is not None:
            if cache:
                k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
            cache[:] = [k, v]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)                # (B, H, T, L)
        total = k.shape[2]
        causal = torch.ones(t, total, dtype=torch.bool).tril(total - t)
        scores = scores.masked_fill(~causal, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v                                                # (B, H, T, hd)
        return self.c_proj(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(shape.dim), Attention(shape), nn.LayerNorm(shape.dim)
        self.c_fc = Conv1D(shape.dim, 4 * shape.dim)
        self.c_proj = Conv1D(4 * shape.dim, shape.dim, 0.02 / math.sqrt(2 * shape.layers))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln_1(x), cache)
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self, shape=SMALL):
        super().__init__()
        self.wte = nn.Embedding(shape.vocab, shape.dim)
        self.wpe = nn.Embedding(shape.context, shape.dim)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)
        self.h = nn.ModuleList(Block(shape) for _ in range(shape.layers))
        self.ln_f = nn.LayerNorm(shape.dim)
        self.prompt = None

    def forward(self, ids, caches=None, start=0):
        x = self.wte(ids)                                                                # (B, T, D)
        if self.prompt is not None:
            x = torch.cat([self.prompt.expand(x.shape[0], -1, -1), x], dim=1)           # (B, P + T, D)
        x = x + self.wpe(torch.arange(start, start + x.shape[1]))
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i])
        logits = self.ln_f(x) @ self.wte.weight.t()                                      # tied head, (B, T, V)
        return logits if self.prompt is None else logits[:, self.prompt.shape[0]:]


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def matmul_gflops(n=2048, reps=5):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    best = min(timed(lambda: a @ b) for _ in range(reps))
    return 2 * n ** 3 / best / 1e9


def make_setup(mode, shape=SMALL):
    """The model of `shape` set up for `mode`: full, lora (r 8 on c_attn and attn.c_proj) or prompt (20 tokens)."""
    torch.manual_seed(1)
    model = Gpt2(shape)
    if mode == "full":
        return model
    for p in model.parameters():
        p.requires_grad_(False)
    if mode == "lora":
        for block in model.h:
            block.attn.c_attn = LoraConv1D(block.attn.c_attn, LORA_RANK, LORA_ALPHA)
            block.attn.c_proj = LoraConv1D(block.attn.c_proj, LORA_RANK, LORA_ALPHA)
    elif mode == "prompt":
        model.prompt = nn.Parameter(model.wte.weight[torch.randint(shape.vocab, (PROMPT_TOKENS,))].clone())
    return model


def train_tokens_per_second(mode, steps, warmup, shape=SMALL):
    """Median tokens/s of whole training steps: forward, loss, backward, clipping at 1.0, AdamW, zeroing."""
    model = make_setup(mode, shape)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in trainable if p.dim() >= 2], "weight_decay": 0.01},
              {"params": [p for p in trainable if p.dim() < 2], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW([g for g in groups if g["params"]], lr=3e-4)
    generator = torch.Generator().manual_seed(7)
    times = []
    for step in range(warmup + steps):
        ids = torch.randint(shape.vocab, (shape.batch, shape.sequence), generator=generator)
        start = time.perf_counter()
        logits = model(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, shape.vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        loss.item()
        if step >= warmup:
            times.append(time.perf_counter() - start)
    return {"tokensPerSecond": shape.batch * shape.sequence / statistics.median(times),
            "trainableParameters": sum(p.numel() for p in trainable), "stepSeconds": times}
