#!/usr/bin/env python3
"""PyTorch eager peer of the ModelDsl benchmark suite: the same GPT-2 shape, training step and decode loop.

Usage: python3 train_step.py --threads 2 [--steps 5] [--warmup 2]
Prints one JSON object: matmul GFLOP/s, tokens/s per training mode, forward latency, cached decode tokens/s.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LAYERS, DIM, HEADS, VOCAB, CONTEXT = 6, 384, 6, 8192, 512
SEQ, BATCH, PROMPT_TOKENS, LORA_RANK, LORA_ALPHA = 256, 8, 20, 8, 16


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
    def __init__(self):
        super().__init__()
        self.c_attn = Conv1D(DIM, 3 * DIM)
        self.c_proj = Conv1D(DIM, DIM, 0.02 / math.sqrt(2 * LAYERS))

    def forward(self, x, cache=None):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=-1)
        q, k, v = (z.view(b, t, HEADS, d // HEADS).transpose(1, 2) for z in (q, k, v))   # (B, H, T, hd)
        if cache is not None:
            if cache:
                k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
            cache[:] = [k, v]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // HEADS)                     # (B, H, T, L)
        total = k.shape[2]
        causal = torch.ones(t, total, dtype=torch.bool).tril(total - t)
        scores = scores.masked_fill(~causal, float("-inf"))
        y = F.softmax(scores, dim=-1) @ v                                                # (B, H, T, hd)
        return self.c_proj(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.attn, self.ln_2 = nn.LayerNorm(DIM), Attention(), nn.LayerNorm(DIM)
        self.c_fc = Conv1D(DIM, 4 * DIM)
        self.c_proj = Conv1D(4 * DIM, DIM, 0.02 / math.sqrt(2 * LAYERS))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln_1(x), cache)
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, DIM)
        self.wpe = nn.Embedding(CONTEXT, DIM)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)
        self.h = nn.ModuleList(Block() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(DIM)
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


def matmul_gflops(n=2048, reps=5):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    best = min(timed(lambda: a @ b) for _ in range(reps))
    return 2 * n ** 3 / best / 1e9


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def make_setup(mode):
    torch.manual_seed(1)
    model = Gpt2()
    if mode == "full":
        return model
    for p in model.parameters():
        p.requires_grad_(False)
    if mode == "lora":
        for block in model.h:
            block.attn.c_attn = LoraConv1D(block.attn.c_attn, LORA_RANK, LORA_ALPHA)
            block.attn.c_proj = LoraConv1D(block.attn.c_proj, LORA_RANK, LORA_ALPHA)
    elif mode == "prompt":
        model.prompt = nn.Parameter(model.wte.weight[torch.randint(VOCAB, (PROMPT_TOKENS,))].clone())
    return model


def train_tokens_per_second(mode, steps, warmup):
    model = make_setup(mode)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in trainable if p.dim() >= 2], "weight_decay": 0.01},
              {"params": [p for p in trainable if p.dim() < 2], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW([g for g in groups if g["params"]], lr=3e-4)
    generator = torch.Generator().manual_seed(7)
    times = []
    for step in range(warmup + steps):
        ids = torch.randint(VOCAB, (BATCH, SEQ), generator=generator)
        start = time.perf_counter()
        logits = model(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, VOCAB), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        loss.item()
        if step >= warmup:
            times.append(time.perf_counter() - start)
    return {"tokensPerSecond": BATCH * SEQ / statistics.median(times),
            "trainableParameters": sum(p.numel() for p in trainable), "stepSeconds": times}


@torch.no_grad()
def decode_tokens_per_second(new_tokens, prompt_tokens=16):
    torch.manual_seed(1)
    model = Gpt2().eval()
    prompt = torch.randint(VOCAB, (1, prompt_tokens))

    def run(count):
        caches = [[] for _ in range(LAYERS)]
        logits = model(prompt, caches)
        position, generated = prompt_tokens, []
        for _ in range(count):
            token = logits[:, -1].argmax(-1, keepdim=True)                              # (1, 1)
            generated.append(int(token))
            logits = model(token, caches, start=position)
            position += 1
        return generated

    run(8)
    seconds = timed(lambda: run(new_tokens))
    return new_tokens / seconds


@torch.no_grad()
def forward_latency_ms(reps=10):
    torch.manual_seed(1)
    model = Gpt2().eval()
    ids = torch.randint(VOCAB, (1, SEQ))
    for _ in range(2):
        model(ids)
    return 1000 * statistics.median(timed(lambda: model(ids)) for _ in range(reps))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--new-tokens", type=int, default=256)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    result = {"torchVersion": torch.__version__, "threads": torch.get_num_threads(), "matmulGflops": matmul_gflops()}
    result["training"] = {mode: train_tokens_per_second(mode, args.steps, args.warmup) for mode in ("full", "lora", "prompt")}
    result["forwardLatencyMs"] = forward_latency_ms()
    result["cachedDecodeTokensPerSecond"] = decode_tokens_per_second(args.new_tokens)
    result["matmulGflopsAfter"] = matmul_gflops()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
