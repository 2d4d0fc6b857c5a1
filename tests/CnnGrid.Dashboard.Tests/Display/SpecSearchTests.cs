using System.Text.Json;
using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class SpecSearchTests
{
    static SpecSearch Of(string json) => SpecSearch.Of(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"search":{"kind":"halving","eta":3,"minEpochs":1,"maxEpochs":9}}""", new[] { 1, 3, 9 })]
    [InlineData("""{"search":{"kind":"halving","eta":2,"minEpochs":2,"maxEpochs":10}}""", new[] { 2, 4, 8, 10 })]
    [InlineData("""{"search":{"kind":"halving","eta":4,"minEpochs":5,"maxEpochs":5}}""", new[] { 5 })]
    [InlineData("""{"search":{"kind":"halving"}}""", new[] { 1, 3, 9 })]
    public void Halving_rungs_end_at_min_epochs_times_eta_to_the_k_below_max_epochs_then_at_max_epochs(string spec, int[] rungs)
    {
        var search = Of(spec);
        Assert.True(search.Halves);
        Assert.Equal(rungs, search.RungEpochs);
    }

    [Theory]
    [InlineData("""{"name":"grid"}""", false, false)]
    [InlineData("""{"search":{"kind":"grid"},"refit":true}""", false, true)]
    [InlineData("""{"search":{"kind":"random","configurations":4}}""", false, true)]
    [InlineData("""{"search":{"kind":"halving"}}""", true, true)]
    [InlineData("""{"search":{"kind":"halving"},"refit":false}""", true, false)]
    public void Only_halving_has_rungs_and_every_search_but_a_grid_refits_unless_the_spec_says(string spec, bool halves, bool refits)
    {
        var search = Of(spec);
        Assert.Equal(halves, search.Halves);
        Assert.Equal(refits, search.Refits);
    }
}
