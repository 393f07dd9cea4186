// The kit for a notebook, in one line: `#load "../build/kit/kit.csx"` (the path from the notebook's folder).
// The build puts this file in build/kit/ beside the assemblies it names, and a #r in a #load-ed script
// resolves from the script's own folder: checked in VS Code's kernel (dotnet-interactive 1.0.712001) and in
// dotnet-repl 0.3.259. Only assemblies notebook code names are listed; the kernel finds what they depend on
// (YamlDotNet, SkiaSharp, the AWS SDK, libtorch) in the same folder when it is first used.
// Not chosen: `#!import kit.csx` resolves these #r lines from the notebook's folder (every one fails); one
// entry assembly cannot work, as the compiler needs a reference to each assembly whose types a cell names;
// a local NuGet package costs a package restore in the kernel (14 s for one cached package, measured here).
#r "Kit.Display.dll"
#r "Kit.Data.dll"
#r "Kit.Torch.Formats.dll"
#r "TorchSharp.dll"
#r "Kit.TorchExtras.dll"
#r "Kit.Training.dll"
#r "Kit.Models.dll"
#r "Kit.Tortoise.dll"
#r "Kit.Recipes.dll"
#r "Kit.Export.dll"
#r "Kit.Aws.dll"
#r "Kit.Notebooks.dll"
