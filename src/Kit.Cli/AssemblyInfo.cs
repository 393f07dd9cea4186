[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Kit.Cli.Tests")]

namespace Kit.Cli;
