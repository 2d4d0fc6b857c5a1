using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class CurveBandTests
{
    [Fact]
    public void Each_epoch_averages_the_folds_that_reached_it()
    {
        // Fold 3 stopped early after one epoch: epoch 2 is over folds 1 and 2 only.
        var band = CurveBand.Over([[0.5, 0.7], [0.6, 0.9], [0.7]]);
        Assert.Equal(2, band.Epochs.Count);
        Assert.Equal(0.6, band.Epochs[0].Mean, 12);
        Assert.Equal(0.08164965809277258, band.Epochs[0].Std, 12); // numpy.std([0.5, 0.6, 0.7])
        Assert.Equal(0.8, band.Epochs[1].Mean, 12);
        Assert.Equal(0.1, band.Epochs[1].Std, 12); // numpy.std([0.7, 0.9])
    }

    [Fact]
    public void No_curves_make_an_empty_band() => Assert.Empty(CurveBand.Over([]).Epochs);

    [Fact]
    public void A_spread_needs_a_value() => Assert.Throws<ArgumentException>(() => Spread.Of([]));
}
