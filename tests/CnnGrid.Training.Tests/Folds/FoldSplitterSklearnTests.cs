using CnnGrid.Training.Folds;

namespace CnnGrid.Training.Tests.Folds;

public sealed class FoldSplitterSklearnTests
{
    public static TheoryData<string> FoldCaseNames =>
        new(SklearnFoldsFixture.Instance.FoldCases.Select(foldCase => foldCase.Name));

    [Theory]
    [MemberData(nameof(FoldCaseNames))]
    public void Folds_match_scikit_learn(string name)
    {
        var expected = SklearnFoldsFixture.Instance.FoldCases.Single(foldCase => foldCase.Name == name);

        if (expected.Folds is null)
        {
            Assert.NotNull(expected.SklearnError);
            Assert.ThrowsAny<ArgumentException>(() => ValidationFolds(expected));
            return;
        }

        Assert.Equal(expected.Folds.Select(fold => fold.Validation), ValidationFolds(expected));
        for (var fold = 0; fold < expected.K; fold++)
        {
            var split = FoldSplitter.Split(
                expected.N, expected.K, fold, expected.Shuffle, expected.Seed, expected.Labels);
            Assert.Equal(expected.Folds[fold].Train, split.Train);
            Assert.Equal(expected.Folds[fold].Validation, split.Validation);
        }
    }

    [Fact]
    public void Fixture_covers_every_kind_of_case()
    {
        var cases = SklearnFoldsFixture.Instance.FoldCases;

        Assert.Contains(cases, c => c.Labels is null && !c.Shuffle && c.N % c.K != 0);
        Assert.Contains(cases, c => c.Labels is null && c.Shuffle && c.N % c.K != 0);
        Assert.Contains(cases, c => c.Labels is null && c.K == c.N);
        Assert.Contains(cases, c => c.Labels is not null && !c.Shuffle);
        Assert.Contains(cases, c => c.Labels is not null && c.Shuffle);
        Assert.Contains(cases, c => c.Labels is not null && c.K == c.N);
        Assert.Contains(cases, c => c.Folds is null && c.Labels is null);
        Assert.Contains(cases, c => c.Folds is null && c.Labels is not null);
        Assert.True(cases.Where(c => c.Shuffle).Select(c => c.Seed).Distinct().Count() >= 3);
    }

    private static int[][] ValidationFolds(SklearnFoldCase foldCase) =>
        FoldSplitter.ValidationFolds(foldCase.N, foldCase.K, foldCase.Shuffle, foldCase.Seed, foldCase.Labels);
}
