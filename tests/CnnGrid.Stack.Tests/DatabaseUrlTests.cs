using CnnGrid.Stack;

namespace CnnGrid.Stack.Tests;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void The_url_db_url_prints_takes_the_password_given_beside_it()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://cnngrid@10.0.0.5:41234/cnngrid", "s3cret");

        Assert.Equal(("10.0.0.5", 41234, "cnngrid", "cnngrid", "s3cret"),
            (database.Host, database.Port, database.Username, database.Database, database.Password));
    }

    [Fact]
    public void A_password_in_the_url_wins_and_is_unescaped()
    {
        var database = DatabaseUrl.ToConnectionString("postgres://alice:p%40ss%3Aword@db.example/sweeps", "ignored");

        Assert.Equal(("db.example", 5432, "alice", "sweeps", "p@ss:word"),
            (database.Host, database.Port, database.Username, database.Database, database.Password));
    }

    [Fact]
    public void A_url_without_a_user_connects_as_the_worker_role_not_a_superuser()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://10.0.0.5:41234/cnngrid", "s3cret");

        Assert.Equal(LocalPostgres.WorkerRole, database.Username);
        Assert.NotEqual(LocalPostgres.UserName, database.Username);
    }

    [Fact]
    public void An_ipv6_host_loses_its_brackets()
    {
        var database = DatabaseUrl.ToConnectionString("postgresql://cnngrid@[fd00::5]:5000/cnngrid", "x");

        Assert.Equal(("fd00::5", 5000), (database.Host, database.Port));
    }

    [Theory]
    [InlineData("10.0.0.5:5432")]
    [InlineData("http://10.0.0.5:5432/cnngrid")]
    [InlineData("postgresql:///cnngrid")]
    public void Anything_but_a_postgresql_url_is_refused(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseUrl.ToConnectionString(url, "x"));
        Assert.Contains("is not a database URL", error.Message);
    }

    [Fact]
    public void No_password_at_all_names_where_to_give_one()
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseUrl.ToConnectionString("postgresql://cnngrid@10.0.0.5:1/cnngrid", null));
        Assert.Contains("--join FILE", error.Message);
        Assert.Contains("--password-file", error.Message);
        Assert.Contains("PGPASSWORD", error.Message);
    }
}
