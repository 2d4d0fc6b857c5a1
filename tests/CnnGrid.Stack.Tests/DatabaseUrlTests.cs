using CnnGrid.Stack;

namespace CnnGrid.Stack.Tests;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void A_join_files_url_gives_host_port_role_database_and_password()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://cnngrid_worker:s3cret@10.0.0.5:41234/cnngrid");

        Assert.Equal(("10.0.0.5", 41234, "cnngrid_worker", "cnngrid", "s3cret"),
            (database.Host, database.Port, database.Username, database.Database, database.Password));
    }

    [Fact]
    public void Escaped_passwords_are_unescaped_and_the_port_defaults_to_postgresqls()
    {
        var database = DatabaseUrl.ToConnectionString("postgres://alice:p%40ss%3Aword@db.example/sweeps");

        Assert.Equal(("db.example", 5432, "alice", "sweeps", "p@ss:word"),
            (database.Host, database.Port, database.Username, database.Database, database.Password));
    }

    [Fact]
    public void A_url_without_a_user_connects_as_the_worker_role_not_a_superuser()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://:s3cret@10.0.0.5:41234/cnngrid");

        Assert.Equal(LocalPostgres.WorkerRole, database.Username);
        Assert.NotEqual(LocalPostgres.UserName, database.Username);
    }

    [Fact]
    public void An_ipv6_host_loses_its_brackets()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://cnngrid_worker:x@[fd00::5]:5000/cnngrid");

        Assert.Equal(("fd00::5", 5000), (database.Host, database.Port));
    }

    [Theory]
    [InlineData("10.0.0.5:5432")]
    [InlineData("http://u:secret-word@10.0.0.5:5432/cnngrid")]
    [InlineData("postgresql:///cnngrid")]
    public void Anything_but_a_postgresql_url_is_refused_without_repeating_it(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseUrl.ToConnectionString(url));
        Assert.Contains("is not like postgresql://", error.Message);
        Assert.DoesNotContain("secret-word", error.Message);
    }

    [Fact]
    public void A_url_without_a_password_is_refused_naming_the_role_and_host()
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseUrl.ToConnectionString("postgresql://cnngrid_worker@10.0.0.5:1/cnngrid"));
        Assert.Contains("no password for cnngrid_worker@10.0.0.5", error.Message);
    }
}
