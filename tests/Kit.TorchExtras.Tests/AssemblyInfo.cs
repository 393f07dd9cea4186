// Tests here seed libtorch's generator, which is global to the process, and then compare runs that must draw
// the same numbers (resume against an uninterrupted run): on parallel threads they would draw each other's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
