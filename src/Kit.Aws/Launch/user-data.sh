#!/bin/bash
# Written by `kit aws launch` for run {{RUN_NAME}}. cloud-init runs this once per new instance; it installs
# kit-train.service, which systemd starts on this and EVERY later boot (a spot "stop" interruption restarts
# the VM from its disk), so training starts or resumes without anyone logging in.
set -euo pipefail

install -d -m 0755 /etc/kit /var/lib/kit /var/log/kit

# The run's settings, as bash assignments the boot script sources.
cat > /etc/kit/run.sh <<'KIT_RUN'
KIT_RUN_NAME={{RUN_NAME}}
KIT_REPO_URL={{REPO_URL}}
KIT_REPO_REF={{REPO_REF}}
KIT_DIR={{KIT_DIR}}
KIT_CHECKPOINT_STORE={{CHECKPOINT_STORE}}
KIT_DATASET_STORE={{DATASET_STORE}}
KIT_DATASET_DIR={{DATASET_DIR}}
KIT_TRAIN_ARGS=({{TRAIN_ARGS}})
AWS_REGION={{REGION}}
KIT_RUN
chmod 0644 /etc/kit/run.sh

cat > /usr/local/bin/kit-train-boot <<'KIT_BOOT'
#!/bin/bash
# Every boot: install the kit if this disk lacks it (the README's setup, built for this VM's GPU), fetch the
# run's dataset, then start or resume training. Checkpoints and the dataset come from the run's S3 prefix,
# so a new VM in another zone resumes too.
set -euo pipefail
source /etc/kit/run.sh
export HOME=/root DOTNET_ROOT=/opt/dotnet PATH="/opt/dotnet:$PATH" AWS_REGION
export KIT_RUN_NAME KIT_CHECKPOINT_STORE KIT_DATASET_STORE KIT_DATASET_DIR KIT_SPOT_WATCH=1
if [ -f /var/lib/kit/finished ]; then
  echo "kit: run $KIT_RUN_NAME already finished on this disk; nothing to do"
  exit 0
fi
if [ ! -x /opt/dotnet/dotnet ]; then
  curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  bash /tmp/dotnet-install.sh --channel {{DOTNET_CHANNEL}} --install-dir /opt/dotnet
fi
if [ ! -d "$KIT_DIR/.git" ]; then
  git clone --branch "$KIT_REPO_REF" "$KIT_REPO_URL" "$KIT_DIR"
fi
cd "$KIT_DIR"
gpu=0
if nvidia-smi -L; then gpu=1; else echo "kit: no NVIDIA GPU answers nvidia-smi; training runs on the CPU"; fi
if [ ! -f build/kit/kit.dll ]; then
  # setup.sh sees nvidia-smi and writes build/torch-backend = cuda: TorchSharp's CUDA package is the one built in.
  ./setup.sh --no-main-job
fi
backend=$(cat build/torch-backend 2>/dev/null || echo "(not recorded)")
echo "kit: tensor backend $backend"
if [ "$gpu" = 1 ] && [ -f build/torch-backend ] && [ "$backend" != cuda ]; then
  echo "kit: this VM has a GPU but the kit was built for '$backend'; rebuild with ./setup.sh --no-main-job" >&2
  exit 1
fi
if [ -n "$KIT_DATASET_STORE" ]; then
  ./kit aws fetch-dataset "$KIT_DATASET_STORE" "$KIT_DATASET_DIR"
fi
./kit train "${KIT_TRAIN_ARGS[@]}"
touch /var/lib/kit/finished
KIT_BOOT
chmod 0755 /usr/local/bin/kit-train-boot

cat > /etc/systemd/system/kit-train.service <<'KIT_UNIT'
[Unit]
Description=Kit training run (starts or resumes on every boot)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/bin/kit-train-boot
Restart=on-failure
RestartSec=30
# The trainer needs the two-minute notice window to checkpoint and upload; give it that on shutdown.
KillSignal=SIGINT
TimeoutStopSec=110
StandardOutput=append:/var/log/kit/train.log
StandardError=append:/var/log/kit/train.log

[Install]
WantedBy=multi-user.target
KIT_UNIT

systemctl daemon-reload
systemctl enable --now kit-train.service
