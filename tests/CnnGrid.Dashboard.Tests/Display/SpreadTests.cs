using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class SpreadTests
{
    [Fact]
    public void Std_is_the_population_std_numpy_gives()
    {
        // numpy.std([0.5, 0.6, 0.7]) == 0.08164965809277258 (ddof = 0)
        var spread = Spread.Of([0.5, 0.6, 0.7]);
        Assert.Equal(0.6, spread.Mean, 12);
        Assert.Equal(0.08164965809277258, spread.Std, 12);
    }
}
