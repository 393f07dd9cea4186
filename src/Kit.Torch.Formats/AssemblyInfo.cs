namespace Kit.Torch.Formats;
