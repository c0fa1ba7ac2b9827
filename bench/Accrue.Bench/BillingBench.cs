namespace Accrue.Bench;

public static class BillingBench
{
    // TODO(lead): the billing run at 1,000,000 subscriptions (issue 6 §5); replaced by the lead's benchmark.
    public static Task<int> RunAsync(string[] args) => Task.FromResult(0);
}
