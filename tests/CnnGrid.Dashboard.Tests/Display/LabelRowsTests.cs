using CnnGrid.Dashboard.Display;

namespace CnnGrid.Dashboard.Tests.Display;

public sealed class LabelRowsTests
{
    [Fact]
    public void Labels_far_apart_share_the_first_row()
    {
        Assert.Equal([0, 0, 0], LabelRows.Assign([(10, "rung 0"), (100, "rung 1"), (300, "rung 2")]));
    }

    [Fact]
    public void A_label_that_would_overlap_takes_the_first_row_it_clears()
    {
        // "rung N" is 6 characters: 42 units with its gap, so centres 42 apart just clear each other.
        var rows = LabelRows.Assign([(10, "rung 0"), (30, "rung 1"), (52, "rung 2"), (53, "rung 3"), (200, "rung 4")]);
        Assert.Equal([0, 1, 0, 2, 0], rows);
    }

    [Fact]
    public void No_labels_no_rows()
    {
        Assert.Empty(LabelRows.Assign([]));
    }
}
