using BenchmarkDotNet.Running;

// Benchmarks are run by hand (see docs/benchmarks.md); the billing-run, wallet, usage and HTTP
// benchmarks arrive with the issues that build those features.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
