using CnnGrid.Training.Folds;

namespace CnnGrid.Training.Tests.Folds;

public sealed class FoldSplitterPropertyTests
{
    public static TheoryData<int, int, bool, int> Shapes => new()
    {
        { 10, 2, false, 0 },
        { 13, 4, false, 0 },
        { 9, 9, false, 0 },
        { 13, 4, true, 0 },
        { 200, 7, true, 99 },
        { 9, 9, true, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Plain_folds_partition_all_indices_with_sklearn_sizes(int count, int folds, bool shuffle, int seed)
    {
        var validationFolds = FoldSplitter.ValidationFolds(count, folds, shuffle, seed);

        Assert.Equal(Enumerable.Range(0, count), validationFolds.SelectMany(fold => fold).Order());
        var expectedSizes = Enumerable.Range(0, folds).Select(fold => count / folds + (fold < count % folds ? 1 : 0));
        Assert.Equal(expectedSizes, validationFolds.Select(fold => fold.Length));
        Assert.All(validationFolds, fold => Assert.Equal(fold.Order(), fold));
    }

    [Theory]
    [InlineData(10, 2, false, 0)]
    [InlineData(13, 4, false, 0)]
    [InlineData(13, 4, true, 0)]
    [InlineData(200, 7, true, 99)]
    public void Stratified_folds_partition_all_indices_and_spread_each_class_evenly(
        int count, int folds, bool shuffle, int seed)
    {
        var labels = Enumerable.Range(0, count).Select(index => index * index % 3).ToArray();

        var validationFolds = FoldSplitter.ValidationFolds(count, folds, shuffle, seed, labels);

        Assert.Equal(Enumerable.Range(0, count), validationFolds.SelectMany(fold => fold).Order());
        Assert.All(validationFolds, fold => Assert.Equal(fold.Order(), fold));
        Assert.InRange(validationFolds.Max(fold => fold.Length) - validationFolds.Min(fold => fold.Length), 0, 1);
        foreach (var label in labels.Distinct())
        {
            var perFold = validationFolds.Select(fold => fold.Count(index => labels[index] == label)).ToArray();
            Assert.InRange(perFold.Max() - perFold.Min(), 0, 1);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Split_trains_on_every_other_index_in_ascending_order(int count, int folds, bool shuffle, int seed)
    {
        var validationFolds = FoldSplitter.ValidationFolds(count, folds, shuffle, seed);

        for (var fold = 0; fold < folds; fold++)
        {
            var split = FoldSplitter.Split(count, folds, fold, shuffle, seed);

            Assert.Equal(validationFolds[fold], split.Validation);
            Assert.Equal(split.Train.Order(), split.Train);
            Assert.Empty(split.Train.Intersect(split.Validation));
            Assert.Equal(Enumerable.Range(0, count), split.Train.Concat(split.Validation).Order());
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_folds_and_other_seeds_differ()
    {
        var labels = Enumerable.Range(0, 60).Select(index => index % 4).ToArray();
        var plain = FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 11);
        var stratified = FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 11, stratifyLabels: labels);

        Assert.Equal(plain, FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 11));
        Assert.Equal(stratified, FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 11, stratifyLabels: labels));
        Assert.NotEqual(plain, FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 12));
        Assert.NotEqual(stratified, FoldSplitter.ValidationFolds(60, 5, shuffle: true, seed: 12, stratifyLabels: labels));
        Assert.NotEqual(plain, FoldSplitter.ValidationFolds(60, 5));
    }

    [Fact]
    public void Relabelling_classes_does_not_move_any_sample()
    {
        int[] labels = [4, 4, 9, 1, 9, 4, 1, 1, 9, 4, 4, 9];
        var relabelled = labels.Select(label => label switch { 4 => 0, 9 => 7, _ => -3 }).ToArray();

        Assert.Equal(
            FoldSplitter.ValidationFolds(12, 3, shuffle: true, seed: 2, stratifyLabels: labels),
            FoldSplitter.ValidationFolds(12, 3, shuffle: true, seed: 2, stratifyLabels: relabelled));
    }

    [Fact]
    public void A_class_smaller_than_the_fold_count_is_allowed_as_in_sklearn()
    {
        int[] labels = [0, 0, 0, 0, 0, 0, 1];

        var validationFolds = FoldSplitter.ValidationFolds(7, 3, stratifyLabels: labels);

        Assert.Single(validationFolds, fold => fold.Contains(6));
    }

    [Theory]
    [InlineData(10, 1, 0, "folds")]
    [InlineData(10, 0, 0, "folds")]
    [InlineData(3, 4, 0, "folds")]
    [InlineData(0, 2, 0, "folds")]
    [InlineData(10, 3, 3, "fold")]
    [InlineData(10, 3, -1, "fold")]
    public void Invalid_fold_arguments_are_rejected(int count, int folds, int fold, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => FoldSplitter.Split(count, folds, fold));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Negative_seed_is_rejected_when_shuffling()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => FoldSplitter.ValidationFolds(10, 2, shuffle: true, seed: -1));

        Assert.Equal("seed", error.ParamName);
    }

    [Fact]
    public void Labels_must_match_the_sample_count()
    {
        var error = Assert.ThrowsAny<ArgumentException>(
            () => FoldSplitter.ValidationFolds(5, 2, stratifyLabels: [0, 1, 0, 1]));

        Assert.Equal("stratifyLabels", error.ParamName);
        Assert.Contains("4 labels", error.Message);
    }

    [Fact]
    public void Every_class_smaller_than_the_fold_count_is_rejected()
    {
        var error = Assert.ThrowsAny<ArgumentException>(
            () => FoldSplitter.ValidationFolds(6, 4, stratifyLabels: [0, 0, 0, 1, 1, 1]));

        Assert.Equal("stratifyLabels", error.ParamName);
    }
}
