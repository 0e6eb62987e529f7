# What `cmake --install` puts where, and the Debian packages CPack makes of it
# (scripts/package.sh; docs/admin.md). Programs in /usr/bin, their shipped data in
# /usr/share/allervers, found from the program's own folder (platform/install_paths.hpp).
#
#   allervers-data    the translations, the demo catalog and tour (architecture: all)
#   allervers-server  the central server and its admin commands
#   allervers-kiosk   the touch app (tablets and lobby kiosks)
#   allervers-device  the device engine without a window
#
# Each program's package depends on allervers-data of the same version; library dependencies
# come from dpkg-shlibdeps.

install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/allervers COMPONENT data)

# systemd units and sysusers files go under <prefix>/lib (/usr/lib/systemd on Debian 12).
set(ALLERVERS_SYSTEMD_DIR lib/systemd)

set(CPACK_PACKAGE_NAME allervers)
set(CPACK_PACKAGE_VENDOR "Aller-vers")
set(CPACK_PACKAGE_CONTACT "Aller-vers <allervers@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Offline-first field outreach for local democracy")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_COMPONENTS_ALL data)
set(CPACK_DEBIAN_DATA_PACKAGE_NAME allervers-data)
set(CPACK_DEBIAN_DATA_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DATA_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DATA_DESCRIPTION "Aller-vers: shared data\nTranslations of the touch app, the demo consultations and the demo tour.")

if(TARGET allervers-server)
  list(APPEND CPACK_COMPONENTS_ALL server)
  set(CPACK_DEBIAN_SERVER_PACKAGE_NAME allervers-server)
  set(CPACK_COMPONENT_SERVER_DEPENDS data)
  # The office console serves Bootstrap and Chart.js from Debian's folders (never a CDN).
  set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libjs-bootstrap5, libjs-chart.js")
  # The service (dist/server): its unit and user under /usr/lib, its settings file in /etc (a
  # conffile; only in the package: `cmake --install` to a prefix leaves /etc alone).
  install(FILES ${CMAKE_SOURCE_DIR}/dist/server/allervers-server.service
          DESTINATION ${ALLERVERS_SYSTEMD_DIR}/system COMPONENT server)
  install(FILES ${CMAKE_SOURCE_DIR}/dist/server/allervers.sysusers
          DESTINATION lib/sysusers.d RENAME allervers-server.conf COMPONENT server)
  install(FILES ${CMAKE_SOURCE_DIR}/dist/server/server.conf DESTINATION /etc/allervers COMPONENT server EXCLUDE_FROM_ALL)
  set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
      ${CMAKE_SOURCE_DIR}/dist/server/postinst ${CMAKE_SOURCE_DIR}/dist/server/prerm
      ${CMAKE_SOURCE_DIR}/dist/server/postrm ${CMAKE_SOURCE_DIR}/dist/server/conffiles)
  set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "nginx, postgresql")
  set(CPACK_DEBIAN_SERVER_DESCRIPTION
      "Aller-vers: the town's central server\nReceives captures from tablets and kiosks, publishes consultations; the coordinator's commands.")
endif()
if(TARGET allervers-device)
  list(APPEND CPACK_COMPONENTS_ALL device)
  set(CPACK_DEBIAN_DEVICE_PACKAGE_NAME allervers-device)
  set(CPACK_COMPONENT_DEVICE_DEPENDS data)
  set(CPACK_DEBIAN_DEVICE_DESCRIPTION
      "Aller-vers: the device engine without a window\nInit, status, bulk capture from paper questionnaires, sync, passes.")
endif()
if(TARGET allervers-kiosk)
  list(APPEND CPACK_COMPONENTS_ALL kiosk)
  set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME allervers-kiosk)
  set(CPACK_COMPONENT_KIOSK_DEPENDS data)
  # The font the app draws with is a file of this package, not a library dpkg-shlibdeps sees.
  set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "fonts-dejavu-core, fonts-noto-core")
  # The lobby kiosk as an appliance (dist/kiosk): cage and its Xwayland, its unit and user.
  set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, xwayland")
  install(FILES ${CMAKE_SOURCE_DIR}/dist/kiosk/allervers-kiosk.service
          DESTINATION ${ALLERVERS_SYSTEMD_DIR}/system COMPONENT kiosk)
  install(FILES ${CMAKE_SOURCE_DIR}/dist/kiosk/allervers-kiosk.sysusers
          DESTINATION lib/sysusers.d RENAME allervers-kiosk.conf COMPONENT kiosk)
  set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/dist/kiosk/postinst)
  set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_DEBIAN_KIOSK_DESCRIPTION
      "Aller-vers: the touch app\nField tablets (agent mode) and lobby kiosks (--kiosk): surveys, ideas, assembly sign-in.")
endif()

include(CPack)
