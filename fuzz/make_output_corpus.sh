#!/usr/bin/env bash
# Writes the seed corpus of the output fuzzer (fuzz_output.cpp): real files written by migsim,
# small ones (libFuzzer mutates whole files): a toy ensemble with a journey sample and the
# series by group, a plain toy run, a toy sweep, a run of Flee's rules.
#   fuzz/make_output_corpus.sh MIGSIM_BINARY OUT_DIR
set -euo pipefail
migsim=$1
out=$2
cd "$(dirname "$0")/.."
mkdir -p "$out"
"$migsim" run scenarios/toy -q --days 30 --replicates 2 --journeys 0.3 --by-group -o "$out/toy-ensemble.h5" --force
"$migsim" run scenarios/toy -q --days 20 -o "$out/toy.h5" --force
"$migsim" sweep scenarios/toy -q --days 20 --param border:strait.patrol=0.2,0.6 -o "$out/toy-sweep.h5"
"$migsim" run scenarios/flee-mali2012/reduced.yml -q --days 30 -o "$out/flee.h5" --force
ls -l "$out"
