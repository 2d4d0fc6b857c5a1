using CnnGrid.Cli.Benchmarks;

namespace CnnGrid.Cli.Tests.Benchmarks;

public sealed class LoadBenchmarkOptionsTests
{
    [Fact]
    public void The_default_load_spreads_twenty_thousand_trials_as_two_hundred_per_sweep()
    {
        var options = new LoadBenchmarkOptions(Clients: 10, Sweeps: 100, Trials: 20_000, Workers: 2, Slots: 64, Rounds: 2);

        options.Validate();
        Assert.Equal(200, options.TrialsPerSweep);
    }

    [Theory]
    [InlineData(10, 100, 20_005, "--trials")]   // not whole seeds of 10 folds per sweep
    [InlineData(10, 100, 500, "--trials")]      // 5 per sweep: less than one seed
    [InlineData(1, 1, 20_000, "--trials")]      // 20,000 in one sweep: over the spec cap
    [InlineData(11, 10, 100, "--clients")]      // a client with nothing to submit
    public void Loads_that_cannot_spread_evenly_are_refused_naming_the_option(int clients, int sweeps, int trials, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new LoadBenchmarkOptions(clients, sweeps, trials, 1, 1, 1).Validate());

        Assert.Contains(named, error.Message);
    }
}
