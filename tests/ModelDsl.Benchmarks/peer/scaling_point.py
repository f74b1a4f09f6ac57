#!/usr/bin/env python3
"""One point of the scaling sweep: full fine-tuning tokens/s of a GPT-2 of the given shape, in PyTorch eager.

Usage: python3 scaling_point.py --dim 384 --heads 6 --sequence 256 --context 512 [--layers 6] [--vocab 8192]
                                [--batch 8] [--threads 2] [--steps 3] [--warmup 1]
Prints one JSON object: torch version, threads, tokens/s and the measured step times.
"""
import argparse
import json

import torch

from gpt2_peer import Shape, train_tokens_per_second


def main():
    parser = argparse.ArgumentParser()
    for name, default in (("layers", 6), ("dim", 384), ("heads", 6), ("vocab", 8192), ("context", 512),
                          ("batch", 8), ("sequence", 256), ("threads", 2), ("steps", 3), ("warmup", 1)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    shape = Shape(args.layers, args.dim, args.heads, args.vocab, args.context, args.batch, args.sequence)
    measured = train_tokens_per_second("full", args.steps, args.warmup, shape)
    print(json.dumps({"torchVersion": torch.__version__, "threads": torch.get_num_threads(), **measured}))


if __name__ == "__main__":
    main()
