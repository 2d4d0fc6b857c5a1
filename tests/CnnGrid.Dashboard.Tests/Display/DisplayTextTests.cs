using System.Text.Json;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class DisplayTextTests
{
    [Fact]
    public void Accuracy_mean_and_std_are_percentages_with_two_decimals()
    {
        Assert.Equal("57.16% ± 2.72%", DisplayText.MeanStd(0.57156, 0.02724));
        Assert.Equal("100.00% ± 0.00%", DisplayText.MeanStd(1, 0));
        Assert.Equal("—", DisplayText.MeanStd(null, null));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(42.4, "42s")]
    [InlineData(185, "3m 05s")]
    [InlineData(7620, "2h 07m")]
    [InlineData(-3, "0s")]
    public void Durations_are_short(double seconds, string expected) =>
        Assert.Equal(expected, DisplayText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Grid_values_read_as_written_in_the_spec()
    {
        var parameters = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{ "dropout": 0.5, "optimizer": "sgd", "hidden": null }""")!;
        Assert.Equal("dropout=0.5, optimizer=sgd, hidden=null", DisplayText.Params(parameters));
        Assert.Equal("(no grid)", DisplayText.Params(new Dictionary<string, object?>()));
    }
}
