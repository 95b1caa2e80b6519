"""The plugin's options in mkdocs.yml, as MkDocs validates them: each option of
`options.Options` with its own default and rules (defined there, without MkDocs, for
`playlist-clusters generate` too)."""

from __future__ import annotations

import os
from typing import Any

from mkdocs.config import base
from mkdocs.config.base import BaseConfigOption, ValidationError

from .option_rules import Context, Option, OptionError, schema
from .options import Options


class MkDocsOption(BaseConfigOption[Any]):
    """One of the plugin's options, validated by its rule; MkDocs reports its errors and
    warnings under the option's name."""

    def __init__(self, option: Option[Any]) -> None:
        super().__init__()
        self.option = option
        self.config_dir: str | None = None

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        path = config.config_file_path
        self.config_dir = os.path.dirname(path) if path else None

    def run_validation(self, value: object) -> Any:
        # Left out, the value is None (the default MkDocs gives), and the rule's default applies.
        context = Context(self.config_dir)
        try:
            result = self.option.value(value, context)
        except OptionError as error:
            raise ValidationError(str(error)) from None
        self.warnings.extend(context.warnings)
        return result


class PluginConfig(base.Config):
    """Options of the `playlist-clusters` plugin (see `options.Options`)."""

    _schema = tuple((name, MkDocsOption(option)) for name, option in schema(Options).items())
