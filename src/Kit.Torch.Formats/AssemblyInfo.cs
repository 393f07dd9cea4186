using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Kit.Torch.Formats.Tests")]

namespace Kit.Torch.Formats;
