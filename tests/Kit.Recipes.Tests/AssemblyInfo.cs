// The models' runs seed libtorch's generator, which is global to the process (each training step reseeds it
// for resume), and synthesis sets the process's intra-op thread count: run side by side, two tests draw each
// other's numbers and no run repeats what its seed says. One at a time, as Kit.Training.Tests runs its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
