// The runner sets the process's current directory and Console.Out while a notebook runs: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
