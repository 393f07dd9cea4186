namespace Kit.Torch;
