#!/usr/bin/env python3
"""PyTorch eager peer of the ModelDsl benchmark suite: the same GPT-2 shape, training step and decode loop.

Usage: python3 train_step.py --threads 2 [--steps 5] [--warmup 2]
Prints one JSON object: matmul GFLOP/s, tokens/s per training mode, forward latency, cached decode tokens/s.
"""
import argparse
import json
import statistics

import torch

from gpt2_peer import SMALL, Gpt2, matmul_gflops, timed, train_tokens_per_second


@torch.no_grad()
def decode_tokens_per_second(new_tokens, prompt_tokens=16):
    torch.manual_seed(1)
    model = Gpt2().eval()
    prompt = torch.randint(SMALL.vocab, (1, prompt_tokens))

    def run(count):
        caches = [[] for _ in range(SMALL.layers)]
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
    ids = torch.randint(SMALL.vocab, (1, SMALL.sequence))
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
