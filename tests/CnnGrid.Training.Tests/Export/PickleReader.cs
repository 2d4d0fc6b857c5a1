using System.Buffers.Binary;
using System.Text;

namespace CnnGrid.Training.Tests.Export;

/// <summary>
/// A minimal unpickler for the opcodes a torch.save state dict uses, independent of the writer: globals become
/// <see cref="Global"/>, an <c>OrderedDict()</c> a dictionary, <c>_rebuild_tensor_v2(...)</c> a <see cref="Rebuilt"/>.
/// </summary>
internal static class PickleReader
{
    public sealed record Global(string Module, string Name);

    public sealed record Rebuilt(object[] StorageId, long Offset, long[] Size, long[] Stride, bool RequiresGrad);

    public static Dictionary<string, Rebuilt> ReadStateDict(byte[] pickle)
    {
        var stack = new Stack<object>();
        var marks = new Stack<int>();
        var at = 0;
        if (pickle[at++] != 0x80 || pickle[at++] != 2)
            throw new InvalidDataException("not a protocol 2 pickle");
        while (true)
        {
            var op = pickle[at++];
            switch (op)
            {
                case (byte)'c':
                    var module = Line(pickle, ref at);
                    stack.Push(new Global(module, Line(pickle, ref at)));
                    break;
                case (byte)')': stack.Push(Array.Empty<object>()); break;
                case (byte)'(': marks.Push(stack.Count); break;
                case (byte)'t': stack.Push(PopToMark(stack, marks)); break;
                case (byte)'X':
                    var length = BinaryPrimitives.ReadInt32LittleEndian(pickle.AsSpan(at));
                    stack.Push(Encoding.UTF8.GetString(pickle, at + 4, length));
                    at += 4 + length;
                    break;
                case (byte)'K': stack.Push((long)pickle[at++]); break;
                case (byte)'J': stack.Push((long)BinaryPrimitives.ReadInt32LittleEndian(pickle.AsSpan(at))); at += 4; break;
                case 0x89: stack.Push(false); break;
                case (byte)'Q': stack.Push(new PersistentId((object[])stack.Pop())); break;
                case (byte)'R':
                    var args = (object[])stack.Pop();
                    stack.Push(Call((Global)stack.Pop(), args));
                    break;
                case (byte)'u':
                    var items = PopToMark(stack, marks);
                    var dict = (Dictionary<string, Rebuilt>)stack.Peek();
                    for (var i = 0; i < items.Length; i += 2)
                        dict.Add((string)items[i], (Rebuilt)items[i + 1]);
                    break;
                case (byte)'.': return (Dictionary<string, Rebuilt>)stack.Single();
                default: throw new InvalidDataException($"opcode 0x{op:x2} at {at - 1}");
            }
        }
    }

    private sealed record PersistentId(object[] Id);

    private static object Call(Global function, object[] args) => (function.Module, function.Name) switch
    {
        ("collections", "OrderedDict") when args.Length == 0 => new Dictionary<string, Rebuilt>(),
        ("torch._utils", "_rebuild_tensor_v2") => new Rebuilt(((PersistentId)args[0]).Id, (long)args[1],
            [.. ((object[])args[2]).Cast<long>()], [.. ((object[])args[3]).Cast<long>()], (bool)args[4]),
        _ => throw new InvalidDataException($"a call of {function}"),
    };

    private static object[] PopToMark(Stack<object> stack, Stack<int> marks)
    {
        var items = new object[stack.Count - marks.Pop()];
        for (var i = items.Length - 1; i >= 0; i--)
            items[i] = stack.Pop();
        return items;
    }

    private static string Line(byte[] pickle, ref int at)
    {
        var end = Array.IndexOf(pickle, (byte)'\n', at);
        var line = Encoding.ASCII.GetString(pickle, at, end - at);
        at = end + 1;
        return line;
    }
}
