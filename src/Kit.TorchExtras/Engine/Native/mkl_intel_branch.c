/*
 * Loaded by MklBranch (MklBranch.cs) into the process's global symbol scope, this definition comes before the
 * one linked into libtorch_cpu.so, whose MKL asks it (through the PLT) whether the CPU is Intel's before choosing
 * a code branch. MKL's answer for any other vendor is its branch for non-Intel CPUs, which stops at AVX2: on an
 * AMD EPYC with AVX-512 a 1024² float32 matmul ran at 92-101 GFLOP/s on one core there and 106-110 through
 * Intel's AVX-512 branch (README, "MKL's branch"). The branch's kernels still choose their instructions by the
 * CPU's own feature flags. No library replaces this: MKL 2020+ dropped MKL_DEBUG_CPU_TYPE, and MKL_CBWR or
 * MKL_ENABLE_INSTRUCTIONS do not reach Intel's branches on other vendors' CPUs (measured: no change).
 * Built with -nostdlib: one function, no libc.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
