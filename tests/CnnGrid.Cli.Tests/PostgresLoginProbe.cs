using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CnnGrid.Cli.Tests;

/// <summary>
/// Asks a PostgreSQL server, from a chosen source address, whether it would let a role log in: the protocol's startup
/// message, answered by pg_hba.conf before any password. Npgsql cannot pick its source address, and on one machine
/// every client of 127.0.0.0/8 would otherwise come from 127.0.0.1, which initdb's loopback rules let in.
/// </summary>
internal static class PostgresLoginProbe
{
    private const int SslRequestCode = 80877103;
    private const int ProtocolVersion3 = 196608;

    /// <summary>Null when the server asks for a password (a rule admits the login), else the refusal's SQLSTATE and message.</summary>
    public static async Task<(string SqlState, string Message)?> RefusalAsync(
        IPAddress source, IPEndPoint server, string role, string database, string? pinnedCertificatePem)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(server);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (pinnedCertificatePem is not null)
        {
            var request = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(request, 8);
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
            await stream.WriteAsync(request);
            var answer = new byte[1];
            await stream.ReadExactlyAsync(answer);
            Assert.Equal((byte)'S', answer[0]);
            using var pinned = X509Certificate2.CreateFromPem(pinnedCertificatePem);
            var tls = new SslStream(stream, leaveInnerStreamOpen: false,
                (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData));
            await tls.AuthenticateAsClientAsync(server.Address.ToString());
            stream = tls;
        }

        await using (stream)
        {
            await stream.WriteAsync(StartupMessage(role, database));
            var header = new byte[5];
            await stream.ReadExactlyAsync(header);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
            await stream.ReadExactlyAsync(body);
            return (char)header[0] switch
            {
                'R' => null,
                'E' => ErrorFields(body),
                var type => throw new InvalidDataException($"PostgreSQL answered the startup message with '{type}'"),
            };
        }
    }

    private static byte[] StartupMessage(string role, string database)
    {
        var parameters = Encoding.UTF8.GetBytes($"user\0{role}\0database\0{database}\0\0");
        var message = new byte[8 + parameters.Length];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), ProtocolVersion3);
        parameters.CopyTo(message, 8);
        return message;
    }

    private static (string SqlState, string Message) ErrorFields(byte[] body)
    {
        // Fields: a type byte and a NUL-terminated string each, then a final NUL.
        var fields = new Dictionary<char, string>();
        for (var at = 0; at < body.Length && body[at] != 0;)
        {
            var end = Array.IndexOf(body, (byte)0, at + 1);
            fields[(char)body[at]] = Encoding.UTF8.GetString(body, at + 1, end - at - 1);
            at = end + 1;
        }
        return (fields['C'], fields['M']);
    }
}
