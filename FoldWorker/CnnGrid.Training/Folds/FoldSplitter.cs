namespace CnnGrid.Training.Folds;

/// <summary>
/// k-fold splits identical to scikit-learn's <c>KFold</c> and (with labels) <c>StratifiedKFold</c>, including
/// <c>shuffle=True, random_state=seed</c>, so folds line up with a user's scikit-learn runs.
/// </summary>
/// <remarks>
/// Like scikit-learn, stratification raises only when every class has fewer members than <c>folds</c>; a class that
/// is merely smaller than <c>folds</c> (scikit-learn warns) is allowed and is then missing from some folds.
/// The seed is only used when shuffling (scikit-learn rejects a random_state without shuffle; here it is ignored).
/// </remarks>
public static class FoldSplitter
{
    /// <summary>Validation indices of every fold, in fold order.</summary>
    /// <param name="count">Number of samples; indices run 0..count-1.</param>
    /// <param name="folds">Number of folds, 2..count.</param>
    /// <param name="shuffle">Shuffle as scikit-learn does with <c>random_state=seed</c>.</param>
    /// <param name="seed">numpy <c>RandomState</c> seed, non-negative; used only when shuffling.</param>
    /// <param name="stratifyLabels">Class label per sample for stratified folds; null for plain k-fold.</param>
    /// <returns>
    /// One array per fold, each ascending even when shuffled: scikit-learn turns every fold into an index mask, so
    /// shuffling only changes which indices a fold holds.
    /// </returns>
    public static int[][] ValidationFolds(
        int count, int folds, bool shuffle = false, int seed = 0, IReadOnlyList<int>? stratifyLabels = null)
    {
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "k-fold cross-validation needs folds >= 2.");
        if (folds > count)
            throw new ArgumentOutOfRangeException(
                nameof(folds), folds, $"folds cannot be greater than the number of samples (count = {count}).");
        if (shuffle && seed < 0)
            throw new ArgumentOutOfRangeException(
                nameof(seed), seed, "seed must be non-negative (numpy's RandomState takes 0..2^32-1).");
        var random = shuffle ? new NumpyRandomState((uint)seed) : null;
        return stratifyLabels is null
            ? PlainFolds(count, folds, random)
            : StratifiedFolds(count, folds, random, stratifyLabels);
    }

    /// <summary>One fold: <see cref="FoldSplit.Train"/> is every other index, ascending (scikit-learn's order).</summary>
    /// <param name="fold">Which fold validates, 0..folds-1.</param>
    /// <inheritdoc cref="ValidationFolds" path="/param"/>
    public static FoldSplit Split(
        int count, int folds, int fold, bool shuffle = false, int seed = 0, IReadOnlyList<int>? stratifyLabels = null)
    {
        var validationFolds = ValidationFolds(count, folds, shuffle, seed, stratifyLabels);
        if (fold < 0 || fold >= folds)
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"fold must be in 0..{folds - 1}.");
        var validation = validationFolds[fold];
        var validates = new bool[count];
        foreach (var index in validation)
            validates[index] = true;
        var train = Enumerable.Range(0, count).Where(index => !validates[index]).ToArray();
        return new FoldSplit(train, validation);
    }

    // KFold: consecutive slices of 0..count-1 (shuffled first if asked), the first count % folds of them one longer;
    // sorted because scikit-learn returns each slice through a boolean mask.
    private static int[][] PlainFolds(int count, int folds, NumpyRandomState? random)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        random?.Shuffle(indices);
        var result = new int[folds][];
        var start = 0;
        for (var fold = 0; fold < folds; fold++)
        {
            var size = count / folds + (fold < count % folds ? 1 : 0);
            result[fold] = indices[start..(start + size)];
            Array.Sort(result[fold]);
            start += size;
        }
        return result;
    }

    // StratifiedKFold._make_test_folds of scikit-learn >= 0.22, step by step.
    private static int[][] StratifiedFolds(int count, int folds, NumpyRandomState? random, IReadOnlyList<int> stratifyLabels)
    {
        if (stratifyLabels.Count != count)
            throw new ArgumentException(
                $"stratifyLabels has {stratifyLabels.Count} labels but count is {count}.", nameof(stratifyLabels));

        var classes = EncodeByFirstAppearance(stratifyLabels);
        var classCounts = new int[classes.Max() + 1];
        foreach (var label in classes)
            classCounts[label]++;
        if (classCounts.All(members => members < folds))
            throw new ArgumentException(
                $"folds = {folds} cannot be greater than the number of members in each class " +
                $"(largest class has {classCounts.Max()}).", nameof(stratifyLabels));

        // allocation[fold, class]: round robin of the sorted class codes over the folds, so fold sizes differ by at
        // most one and every class is spread as evenly as it can be.
        var sortedClasses = classes.Order().ToArray();
        var allocation = new int[folds, classCounts.Length];
        for (var position = 0; position < count; position++)
            allocation[position % folds, sortedClasses[position]]++;

        // Each class's samples take their folds in blocks (fold 0's share first, ...) unless shuffled, which keeps
        // the data's order as far as stratification allows.
        var foldOf = new int[count];
        for (var label = 0; label < classCounts.Length; label++)
        {
            var foldsForClass = new int[classCounts[label]];
            var next = 0;
            for (var fold = 0; fold < folds; fold++)
                for (var member = 0; member < allocation[fold, label]; member++)
                    foldsForClass[next++] = fold;
            random?.Shuffle(foldsForClass);
            next = 0;
            for (var index = 0; index < count; index++)
                if (classes[index] == label)
                    foldOf[index] = foldsForClass[next++];
        }
        return Enumerable.Range(0, folds)
            .Select(fold => Enumerable.Range(0, count).Where(index => foldOf[index] == fold).ToArray())
            .ToArray();
    }

    // Class codes 0, 1, ... in order of first appearance (scikit-learn's encoding), so relabelling never moves a sample.
    private static int[] EncodeByFirstAppearance(IReadOnlyList<int> labels)
    {
        var codes = new Dictionary<int, int>();
        var classes = new int[labels.Count];
        for (var index = 0; index < labels.Count; index++)
        {
            if (!codes.TryGetValue(labels[index], out var code))
            {
                code = codes.Count;
                codes.Add(labels[index], code);
            }
            classes[index] = code;
        }
        return classes;
    }
}
