[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Kit.Data.Tests")]

namespace Kit.Data;
