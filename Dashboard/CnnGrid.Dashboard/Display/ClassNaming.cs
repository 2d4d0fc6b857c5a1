using System.Globalization;

namespace CnnGrid.Dashboard.Display;

/// <summary>How charts name a class: by its label, with the dataset's name for it where that says more (Fashion-MNIST, CIFAR-10).</summary>
public static class ClassNaming
{
    /// <summary><c>3 Dress</c>; just <c>3</c> when the dataset's name is the label itself or unknown.</summary>
    public static string Of(IReadOnlyList<string> names, int label)
    {
        var number = label.ToString(CultureInfo.InvariantCulture);
        return label < names.Count && names[label] != number ? $"{number} {names[label]}" : number;
    }

    /// <summary>Whether the names say more than the labels (they do not for digits).</summary>
    public static bool SayMore(IReadOnlyList<string> names) =>
        names.Where((name, label) => name != label.ToString(CultureInfo.InvariantCulture)).Any();
}
