using Accrue.Bench;

// Benchmarks run by hand, never in the test suite (docs/benchmarks.md):
//   dotnet run -c Release --project bench/Accrue.Bench -- <billing|wallet|usage|http> [--postgres <connection string>] [options]
var command = args.FirstOrDefault();
var rest = args.Skip(1).ToArray();
return command switch
{
    "billing" => await BillingBench.RunAsync(rest),
    "wallet" => await WalletBench.RunAsync(rest),
    "usage" => await UsageBench.RunAsync(rest),
    "http" => await HttpBench.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project bench/Accrue.Bench -- <command> [options]
          billing   the billing run on a seeded book   [--subscriptions 1000000] [--organizations 100] [--largest 500000]
          wallet    64 parallel clients crediting and debiting one wallet over HTTP   [--clients 64] [--operations 100]
          usage     usage events/s through POST usage in batches of 1,000 with duplicates   [--clients 4] [--batches 200] [--duplicates 0.1]
          http      wrk against /healthz, the portal dashboard and API reads   [--seconds 10] [--threads 2] [--connections 32]
        Every command takes --postgres "<connection string>" (a fresh database is created and dropped there); SQLite otherwise.
        """);
    return 2;
}
