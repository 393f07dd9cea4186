#!/usr/bin/env bash
# The main job: the kit's whole path on the built-in sample dataset, in the order a user walks it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="build/main-job"
rm -rf "$out"; mkdir -p "$out"
./kit sample-dataset "$out/dataset" --clips 24
./kit check "$out/dataset" --json "$out/check.json"
./kit params --check-json "$out/check.json" --out "$out/run"
# Text to speech end to end: the tiny spectrogram recipe trained briefly from its defaults (a batch, validation
# and progress intervals sized for the 24-clip sample and 40 steps), then a WAV spoken from text.
./kit params --check-json "$out/check.json" --recipe spectrogram-tiny --set TrainBS=4 --set ValBS=2 --set PrintFreq=10 --set ValFreq=20 --set SaveCheckpointFreq=20 --out "$out/speech"
./kit train "$out/speech/run.yml" --output "$out/speech/train" --max-steps 40
# The signal model (WaveRNN) on the spectrogram model's teacher-forced frames, as the WellSaid guide trains it; then both speak.
./kit params --check-json "$out/check.json" --recipe signal-tiny --set TrainBS=4 --set ValBS=2 --out "$out/signal"
./kit train "$out/signal/run.yml" --output "$out/signal/train" --max-steps 20 --spectrogram-model-checkpoint "$out/speech/train"
./kit speak --spectrogram-model "$out/speech/train" "The kit trained this voice on its own sample speech." -o "$out/speech.wav"
./kit speak --spectrogram-model "$out/speech/train" --signal-model "$out/signal/train" "The kit trained this voice on its own sample speech." -o "$out/speech-wavernn.wav"
# Export the trained voice to a folder (verified against its manifest), then import it back and check it again.
./kit export "$out/speech/train" --to "$out/export/speech-voice"
./kit import "$out/export/speech-voice" --to "$out/export/speech-voice-imported"
echo "main job done: $out"
