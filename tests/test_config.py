"""Configuration: Mattermost's sections and defaults, a file, MM_ overrides."""
import json

import pytest

from api import config as config_module


def test_defaults_are_mattermosts(tmp_path):
    config = config_module.load(path=str(tmp_path / "none.json"), environ={})
    assert config["ServiceSettings"]["ListenAddress"] == ":8065"
    assert config["ServiceSettings"]["MaximumPayloadSizeBytes"] == 300000
    assert config["TeamSettings"]["SiteName"] == "Mattermost"
    assert config["PasswordSettings"]["MinimumLength"] == 8
    assert config["FileSettings"]["MaxFileSize"] == 104857600
    assert config["SqlSettings"]["DriverName"] == "sqlite"


def test_file_overrides_defaults_and_keeps_the_rest(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"TeamSettings": {"SiteName": "Ours"}, "Unknown": {"X": 1}}))
    config = config_module.load(path=str(path), environ={})
    assert config["TeamSettings"]["SiteName"] == "Ours"
    assert config["TeamSettings"]["MaxUsersPerTeam"] == 50
    assert config["Unknown"] == {"X": 1}


def test_environment_overrides_with_types(tmp_path):
    environ = {
        "MM_SQLSETTINGS_DRIVERNAME": "postgres",
        "MM_SQLSETTINGS_DATASOURCE": "postgres://u:p@h/db",
        "MM_SERVICESETTINGS_LISTENADDRESS": ":9000",
        "MM_SERVICESETTINGS_SITEURL": "https://chat.example.com",
        "MM_SERVICESETTINGS_ENABLEDEVELOPER": "true",
        "MM_TEAMSETTINGS_MAXUSERSPERTEAM": "12",
        "MM_TEAMSETTINGS_EXPERIMENTALDEFAULTCHANNELS": "a b",
        "MM_NOSUCHSECTION_X": "1",
    }
    config = config_module.load(path=str(tmp_path / "none.json"), environ=environ)
    assert config["SqlSettings"]["DriverName"] == "postgres"
    assert config["SqlSettings"]["DataSource"] == "postgres://u:p@h/db"
    assert config["ServiceSettings"]["SiteURL"] == "https://chat.example.com"
    assert config["ServiceSettings"]["EnableDeveloper"] is True
    assert config["TeamSettings"]["MaxUsersPerTeam"] == 12
    assert config["TeamSettings"]["ExperimentalDefaultChannels"] == ["a", "b"]
    assert config_module.listen_address(config) == "0.0.0.0:9000"


def test_bad_integer_in_environment_keeps_default(tmp_path):
    config = config_module.load(path=str(tmp_path / "none.json"),
                                environ={"MM_TEAMSETTINGS_MAXUSERSPERTEAM": "many"})
    assert config["TeamSettings"]["MaxUsersPerTeam"] == 50


def test_config_path_from_environment(tmp_path):
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps({"TeamSettings": {"SiteName": "From MM_CONFIG"}}))
    config = config_module.load(environ={"MM_CONFIG": str(path)})
    assert config["TeamSettings"]["SiteName"] == "From MM_CONFIG"
    assert config.path == str(path)


def test_environment_is_not_written_back(tmp_path):
    path = tmp_path / "config.json"
    config_module.write_defaults(str(path))
    before = path.read_text()
    config_module.load(path=str(path), environ={"MM_TEAMSETTINGS_SITENAME": "Env"})
    assert path.read_text() == before


def test_invalid_config_file(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("{nope")
    with pytest.raises(SystemExit):
        config_module.load(path=str(path), environ={})


@pytest.mark.parametrize("address,bind", [(":8065", "0.0.0.0:8065"), ("127.0.0.1:9", "127.0.0.1:9"),
                                          ("", "0.0.0.0:8065")])
def test_listen_address(tmp_path, address, bind):
    config = config_module.load(path=str(tmp_path / "none.json"), environ={})
    config["ServiceSettings"]["ListenAddress"] = address
    assert config_module.listen_address(config) == bind
